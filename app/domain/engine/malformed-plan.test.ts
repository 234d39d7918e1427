/**
 * A malformed plan never crashes (issue 13): every leaf of a plan using every component and option, replaced by
 * a percent written the way people write it ("6%") or by text a decimal parser chokes on ("NaN", "-5", "1e3"),
 * comes back as issues naming that leaf. Never a throw: a throw is a 500 on publish, preview and what-if.
 */
import { describe, expect, it } from "vitest";
import { validatePlanRules } from "./plan-schema";

const rate = (percent: string) => ({ kind: "percent", percent });

const FULL_PLAN = {
  schemaVersion: 1,
  period: { schedule: "monthly" },
  rounding: "half_even",
  paycut: { maxPercent: "40" },
  additionalSchedules: [{ schedule: "weekly", minimumPayout: { amountMinor: "500", currency: "USD" }, components: ["fast"] }],
  components: [
    {
      type: "unilevel",
      id: "uni",
      maxDepth: 3,
      compression: "dynamic",
      rates: {
        standard: [
          rate("10"),
          { kind: "percent_of_commission", percent: "50", of: "level_below" },
          { kind: "fixed_per_unit", amountMinor: "100", currency: "USD" },
        ],
        kits: [{ kind: "fixed_per_order", amountMinor: "250", currency: "USD" }],
      },
    },
    { type: "unilevel", id: "diff", maxDepth: 2, compression: "none", differential: { rates: { standard: { silver: "5", gold: "8" } } } },
    { type: "matrix", id: "matrix", width: 3, depth: 2, compression: "none", rates: { standard: [rate("4"), rate("2")] } },
    { type: "fast_start", id: "fast", windowDays: 60, compression: "none", rates: { standard: [rate("20"), rate("10")] } },
    {
      type: "binary",
      id: "binary",
      volume: "pv",
      pairVolume: "100",
      payout: { kind: "percent_of_pair_volume", percent: "10" },
      firstPair: "1:1",
      carry: { mode: "carry", maxPoints: "5000" },
      capPerPeriod: { amountMinor: "100000", currency: "USD" },
      maxCyclesPerPeriod: 50,
    },
    {
      type: "rank",
      id: "ranks",
      volume: "pv",
      activeLegMinPersonalVolume: "50",
      ranks: [
        { id: "silver", personalVolume: "100", groupVolume: "500", activeLegs: 1 },
        { id: "gold", personalVolume: "100", groupVolume: "1000", maxLegPercent: "40", activeLegs: 2 },
      ],
    },
    { type: "matching", id: "match", matches: ["uni", "binary"], compression: "dynamic", generations: [{ percent: "10" }, { percent: "5", minRank: "gold" }] },
    { type: "rank_advancement", id: "advance", currency: "USD", bonuses: { silver: "10000", gold: "25000" } },
  ],
};

type Leaf = { path: (string | number)[]; value: unknown };

function leaves(value: unknown, path: (string | number)[] = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leaves(item, [...path, index]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => leaves(item, [...path, key]));
  return [{ path, value }];
}

function withLeaf(plan: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(plan) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = replacement;
  return copy;
}

/** `["components", 0, "rates", "standard", 1, "percent"]` → `components[0].rates.standard[1].percent`, as PlanIssue paths read. */
const issuePath = (path: readonly (string | number)[]) =>
  path.map((key, index) => (typeof key === "number" ? `[${key}]` : index === 0 ? key : `.${key}`)).join("");

const PERCENT_LEAVES = leaves(FULL_PLAN).filter(
  (leaf) => ["percent", "maxPercent", "maxLegPercent"].includes(String(leaf.path.at(-1))) || leaf.path.includes("differential"),
);

describe("a malformed plan is a list of field issues, never a throw", () => {
  it("starts from a plan that is valid as written", () => {
    const result = validatePlanRules(FULL_PLAN);
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(PERCENT_LEAVES.length).toBeGreaterThanOrEqual(12);
  });

  it.each(["6%", "NaN", "-5", "1e3"])("every percent written %j is an issue naming its field", (bad) => {
    for (const leaf of PERCENT_LEAVES) {
      const result = validatePlanRules(withLeaf(FULL_PLAN, leaf.path, bad));
      expect(result.ok, issuePath(leaf.path)).toBe(false);
      if (!result.ok)
        expect(
          result.issues.map((issue) => issue.path),
          issuePath(leaf.path),
        ).toContain(issuePath(leaf.path));
    }
  });

  it.each(["6%", "NaN", "-5", "1e3", "", null, -1, 2 ** 53 + 1, Number.MAX_VALUE, 0.5, { percent: "6%" }])(
    "any leaf set to %j answers, without throwing",
    (bad) => {
      for (const leaf of leaves(FULL_PLAN)) {
        if (leaf.value === bad) continue;
        expect(() => validatePlanRules(withLeaf(FULL_PLAN, leaf.path, bad)), issuePath(leaf.path)).not.toThrow();
      }
    },
  );
});
