import { describe, expect, it } from "vitest";
import { parsePlanRules, planClassesMissingFrom, PlanValidationError, validatePlanRules } from "./plan-schema";

const valid = {
  schemaVersion: 1,
  components: [
    {
      type: "unilevel",
      id: "unilevel",
      maxDepth: 3,
      compression: "dynamic",
      rates: {
        standard: [
          { kind: "percent", percent: "12.5" },
          { kind: "percent", percent: "5" },
        ],
        kits: [{ kind: "fixed_per_unit", amountMinor: "250", currency: "USD" }],
      },
    },
  ],
};

function issuesOf(json: unknown) {
  const result = validatePlanRules(json);
  if (result.ok) throw new Error("expected the plan to be rejected");
  return result.issues;
}

function withComponent(patch: Record<string, unknown>) {
  return { ...valid, components: [{ ...valid.components[0], ...patch }] };
}

describe("plan rules", () => {
  it("accepts a valid unilevel plan and freezes it", () => {
    const rules = parsePlanRules(valid);
    const component = rules.components[0];
    if (component?.type !== "unilevel") throw new Error("expected a unilevel component");
    expect(component.rates?.standard?.[0]).toEqual({ kind: "percent", percent: "12.5" });
    expect(Object.isFrozen(component.rates)).toBe(true);
  });

  it.each([
    [
      "a float rate",
      withComponent({ rates: { standard: [{ kind: "percent", percent: 12.5 }] } }),
      "components[0].rates.standard[0].percent",
      'must be a decimal string such as "12.5"',
    ],
    [
      "a percent over 100",
      withComponent({ rates: { standard: [{ kind: "percent", percent: "100.01" }] } }),
      "components[0].rates.standard[0].percent",
      "must not exceed 100",
    ],
    [
      "too many decimals",
      withComponent({ rates: { standard: [{ kind: "percent", percent: "1.0000001" }] } }),
      "components[0].rates.standard[0].percent",
      "at most 6 decimals",
    ],
    [
      "an unknown rate kind",
      withComponent({ rates: { standard: [{ kind: "bps", value: 10 }] } }),
      "components[0].rates.standard[0].kind",
      'must be "percent", "fixed_per_unit", "fixed_per_order" or "percent_of_commission"',
    ],
    [
      "a lower-case currency",
      withComponent({ rates: { kits: [{ kind: "fixed_per_unit", amountMinor: "250", currency: "usd" }] } }),
      "components[0].rates.kits[0].currency",
      "upper-case ISO 4217",
    ],
    ["more levels than maxDepth", withComponent({ maxDepth: 1 }), "components[0].rates.standard", "lists 2 levels but maxDepth is 1"],
    ["a fractional maxDepth", withComponent({ maxDepth: 2.5 }), "components[0].maxDepth", "must be a whole number"],
    ["an unknown compression", withComponent({ compression: "generous" }), "components[0].compression", 'must be "dynamic" or "none"'],
    [
      "an unknown plan type",
      withComponent({ type: "pyramid" }),
      "components[0].type",
      "unknown component type; supported: unilevel, matrix, fast_start, binary, rank, matching, rank_advancement",
    ],
    ["an unknown field", withComponent({ maxDepht: 3 }), "components[0]", 'Unrecognized key: "maxDepht"'],
    ["a bad class id", withComponent({ rates: { "bad class": [{ kind: "percent", percent: "1" }] } }), "components[0].rates.bad class", "key must be"],
    ["no components", { schemaVersion: 1, components: [] }, "components", "must contain at least one component"],
    ["another schema version", { ...valid, schemaVersion: 2 }, "schemaVersion", "must be 1"],
  ])("rejects %s, naming the field", (_name, json, path, message) => {
    const issues = issuesOf(json);
    expect(issues).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it("rejects two components with one id (the id is part of every idempotency key)", () => {
    const twice = { ...valid, components: [valid.components[0], valid.components[0]] };
    expect(issuesOf(twice)).toEqual([{ path: "components[1].id", message: '"unilevel" is used twice' }]);
  });

  it("throws a PlanValidationError that lists every issue", () => {
    expect(() => parsePlanRules(withComponent({ maxDepth: 0, compression: "x" }))).toThrow(PlanValidationError);
    expect(() => parsePlanRules(withComponent({ maxDepth: 0 }))).toThrow("components[0].maxDepth: must be at least 1");
  });

  it("lists the classes a plan pays on that the shop does not have", () => {
    expect(planClassesMissingFrom(parsePlanRules(valid), ["standard"])).toEqual(["kits"]);
  });
});
