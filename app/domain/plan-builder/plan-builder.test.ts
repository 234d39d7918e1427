import { describe, expect, it } from "vitest";
import { validatePlanRules } from "~/domain/engine";
import { componentPath, draftFromJsonText, draftToJsonText, draftToPlan, planToDraft, type PlanDraft } from "./plan-draft";
import { COMPONENT_TYPES, newComponent } from "./component-templates";
import { diffPlans } from "./plan-diff";
import { previewRows, previewTotals } from "./preview-rows";

const FULL_PLAN = {
  schemaVersion: 1,
  period: { schedule: "monthly", minimumPayout: { amountMinor: "2500", currency: "USD" } },
  maxPayoutPercent: "50",
  components: [
    {
      type: "unilevel",
      id: "uni",
      maxDepth: 3,
      compression: "dynamic",
      rates: {
        standard: [
          { kind: "percent", percent: "10" },
          { kind: "percent", percent: "5" },
          { kind: "fixed_per_unit", amountMinor: "100", currency: "USD" },
        ],
        general: [{ kind: "percent", percent: "4" }],
      },
      rankDepth: { byRank: { bronze: 2 }, unranked: 1 },
    },
    { type: "matrix", id: "mx", width: 3, depth: 2, compression: "none", rates: { standard: [{ kind: "percent", percent: "1" }] } },
    { type: "fast_start", id: "fs", windowDays: 60, compression: "none", rates: { standard: [{ kind: "percent", percent: "20" }] } },
    {
      type: "binary",
      id: "bin",
      volume: "pv",
      pairVolume: "100",
      payout: { kind: "per_pair", amountMinor: "1000", currency: "USD" },
      firstPair: "1:2_or_2:1",
      carry: { mode: "carry", maxPoints: "5000" },
      capPerPeriod: { amountMinor: "100000", currency: "USD" },
      maxCyclesPerPeriod: 40,
    },
    {
      type: "rank",
      id: "ranks",
      volume: "pv",
      activeLegMinPersonalVolume: "50",
      ranks: [
        { id: "bronze", personalVolume: "100", groupVolume: "500", activeLegs: 2 },
        { id: "silver", personalVolume: "100", groupVolume: "2000", maxLegPercent: "40", activeLegs: 3 },
      ],
    },
    { type: "matching", id: "match", matches: ["bin"], compression: "none", generations: [{ percent: "10" }, { percent: "5", minRank: "silver" }] },
    { type: "rank_advancement", id: "adv", currency: "USD", bonuses: { bronze: "10000", silver: "25000" } },
  ],
};

describe("plan builder form ⇄ plan mapping", () => {
  it("the full plan is valid, so the round trips below are over a real plan", () => {
    expect(validatePlanRules(FULL_PLAN)).toMatchObject({ ok: true });
  });

  it("plan → form → plan gives the same plan, every component type and unmodelled field included", () => {
    expect(draftToPlan(planToDraft(structuredClone(FULL_PLAN)))).toEqual(FULL_PLAN);
  });

  it("form → JSON → form gives the same form", () => {
    const draft = planToDraft(structuredClone(FULL_PLAN));
    const back = draftFromJsonText(draftToJsonText(draft));
    expect(back).toEqual({ ok: true, draft });
  });

  it("shows whole numbers as typed text and records as editable lists", () => {
    const draft = planToDraft(FULL_PLAN);
    expect(draft.components[0]).toMatchObject({ maxDepth: "3", rates: [{ key: "standard" }, { key: "general" }] });
    expect(draft.components[4]!.ranks).toMatchObject([{ activeLegs: "2" }, { activeLegs: "3" }]);
    expect(draft.components[6]!.bonuses).toEqual([
      { key: "bronze", value: "10000" },
      { key: "silver", value: "25000" },
    ]);
  });

  it("keeps malformed input as typed, for the schema to name the field", () => {
    const draft = planToDraft(FULL_PLAN);
    const edited: PlanDraft = {
      ...draft,
      components: draft.components.map((component, index) =>
        index === 0
          ? {
              ...component,
              maxDepth: "3x",
              rates: [{ key: "standard", value: [{ kind: "percent", percent: "6%" }] }],
            }
          : component,
      ),
    };
    const plan = draftToPlan(edited);
    const result = validatePlanRules(plan);
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.issues.map((issue) => issue.path);
    expect(paths).toContain(componentPath(0, "maxDepth"));
    expect(paths).toContain(componentPath(0, "rates", "standard", 0, "percent"));
    // And back in the form, the typed text is still there.
    expect(draftFromJsonText(JSON.stringify(plan))).toEqual({ ok: true, draft: edited });
  });

  it("leaves an emptied optional whole number out of the plan", () => {
    const draft = planToDraft(FULL_PLAN);
    const edited = {
      ...draft,
      components: draft.components.map((component) => (component.type === "binary" ? { ...component, maxCyclesPerPeriod: "" } : component)),
    };
    expect(draftToPlan(edited).components).toEqual(expect.arrayContaining([expect.not.objectContaining({ maxCyclesPerPeriod: expect.anything() as unknown })]));
    expect((draftToPlan(edited).components as { type: string }[]).find((component) => component.type === "binary")).not.toHaveProperty("maxCyclesPerPeriod");
  });

  it("turns anything that is not a plan object into an empty plan, and refuses text that is not JSON", () => {
    expect(planToDraft("nope")).toEqual({ plan: { schemaVersion: 1 }, components: [] });
    expect(draftFromJsonText("{")).toMatchObject({ ok: false });
  });

  it("adds a valid component of every type, with an id not yet used", () => {
    const components = COMPONENT_TYPES.reduce<PlanDraft["components"]>((list, type) => [...list, newComponent(type, list, "standard", "USD")], []);
    const withMatching = [...components, newComponent("unilevel", components, "standard", "USD")];
    expect(withMatching.at(-1)!.id).toBe("unilevel_2");
    const plan = draftToPlan({ plan: { schemaVersion: 1, period: { schedule: "monthly" } }, components });
    expect(validatePlanRules(plan)).toMatchObject({ ok: true });
  });
});

describe("diff between two plan versions", () => {
  it("names every changed, added and removed leaf, matching components by id", () => {
    const after = structuredClone(FULL_PLAN) as typeof FULL_PLAN & { components: unknown[] };
    const uni = after.components[0] as { rates: Record<string, { kind: string; percent: string }[]> };
    uni.rates.standard![1]!.percent = "6";
    uni.rates.general!.push({ kind: "percent", percent: "2" });
    after.components.reverse();
    after.components.splice(
      after.components.findIndex((component) => (component as { id: string }).id === "fs"),
      1,
    );
    after.components.push({ type: "matrix", id: "mx2", width: 2, depth: 1, compression: "none", rates: {} });
    delete (after as { maxPayoutPercent?: string }).maxPayoutPercent;
    expect(diffPlans(FULL_PLAN, after)).toEqual([
      { path: "maxPayoutPercent", kind: "removed", before: '"50"' },
      { path: "components[uni].rates.standard[1].percent", kind: "changed", before: '"5"', after: '"6"' },
      { path: "components[uni].rates.general[1]", kind: "added", after: '{"kind":"percent","percent":"2"}' },
      { path: "components[mx2]", kind: "added", after: JSON.stringify(after.components.at(-1)) },
      { path: "components[fs]", kind: "removed", before: JSON.stringify(FULL_PLAN.components[2]) },
    ]);
  });

  it("finds nothing between a version and itself", () => {
    expect(diffPlans(FULL_PLAN, structuredClone(FULL_PLAN))).toEqual([]);
  });
});

describe("what-if rows", () => {
  it("sums per distributor and rule, beside what the versions in force paid", () => {
    const rows = previewRows(
      [
        { distributorId: "b", rule: "uni", amountMinor: 100n },
        { distributorId: "a", rule: "uni", amountMinor: 50n },
        { distributorId: "a", rule: "uni", amountMinor: 25n },
      ],
      [
        { distributorId: "a", rule: "old", amountMinor: 60n },
        { distributorId: "b", rule: "uni", amountMinor: 80n },
      ],
    );
    expect(rows).toEqual([
      { distributorId: "a", rule: "old", draftMinor: 0n, inForceMinor: 60n },
      { distributorId: "a", rule: "uni", draftMinor: 75n, inForceMinor: 0n },
      { distributorId: "b", rule: "uni", draftMinor: 100n, inForceMinor: 80n },
    ]);
    expect(previewTotals(rows)).toEqual({ draftMinor: 175n, inForceMinor: 140n });
  });
});
