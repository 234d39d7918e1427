/**
 * Worked examples, exact to the cent, for the per-order plan capabilities of issue 11: a flat amount per order,
 * rates relative to another level's commission, and the plan's rounding mode. Expected amounts are worked by
 * hand in the comments.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate";
import { parsePlanRules, validatePlanRules, type Rate } from "./plan-schema";
import { NOTHING_REVERSED, reverseForRefund } from "../refunds/reversal";
import { evaluationToJson, inputFromSnapshot } from "./snapshot";
import { EXCLUDE_SHIPPING_AND_TAX, chain, order, orderLine, refund, standardCatalog } from "~test/support/engine";
import type { CommissionLine, EvaluationInput, UplineNode } from "./types";

function paid(lines: readonly Pick<CommissionLine, "distributorId" | "orderLineId" | "level" | "amountMinor">[]) {
  return lines.map((line) => `${line.orderLineId} L${line.level} ${line.distributorId} ${line.amountMinor}`);
}

function plan(rates: Record<string, Rate[]>, extra: Record<string, unknown> = {}, compression: "dynamic" | "none" = "dynamic") {
  const maxDepth = Math.max(...Object.values(rates).map((levels) => levels.length));
  return parsePlanRules({ schemaVersion: 1, components: [{ type: "unilevel", id: "unilevel", maxDepth, compression, rates }], ...extra });
}

function input(
  rules: ReturnType<typeof plan>,
  lines: ReturnType<typeof orderLine>[],
  upline: UplineNode[] = chain("ana", "ben", "cai", "dee"),
): EvaluationInput {
  return {
    order: order(lines),
    planVersion: { id: "plan-caps", version: 1, rules },
    catalog: standardCatalog(),
    upline,
    settings: EXCLUDE_SHIPPING_AND_TAX,
  };
}

const percent = (value: string): Rate => ({ kind: "percent", percent: value });
const relative = (value: string, of: "level_below" | "level_1" = "level_below"): Rate => ({ kind: "percent_of_commission", percent: value, of });
const perOrder = (amountMinor: string, currency = "USD"): Rate => ({ kind: "fixed_per_order", amountMinor, currency });

/** serum 2 × 49.99 − 10.00 = 89.98, cream 3 × 41.15 = 123.45, balm 1.35: three "standard" lines, 214.78 in all. */
const THREE_LINES = [orderLine("serum", "SERUM-30", 2, 4_999n, 1_000n), orderLine("cream", "CREAM-50", 3, 4_115n), orderLine("balm", "LIP-BALM", 1, 135n)];

describe("a flat amount per order (fixed_per_order)", () => {
  // L1 5.00 and L2 2.00 once per order, however many lines and units. Spread over the lines by base 8998 :
  // 12345 : 135 (sum 21478), largest remainder:
  //   500 → 209.47 / 287.39 / 3.14 → floors 209 + 287 + 3 = 499, the 1 left goes to the largest remainder (serum)
  //   200 →  83.79 / 114.95 / 1.26 → floors 83 + 114 + 1 = 198, the 2 left go to cream (.95) then serum (.79)
  const rules = plan({ standard: [perOrder("500"), perOrder("200")] });

  it("pays it once per order, not per unit or per line, and its parts add up to the amount exactly", () => {
    const result = evaluate(input(rules, THREE_LINES));
    expect(paid(result.lines)).toEqual(["serum L1 ana 210", "serum L2 ben 84", "cream L1 ana 287", "cream L2 ben 115", "balm L1 ana 3", "balm L2 ben 1"]);
    expect(result.totals.paidMinor).toBe(700n);
  });

  it("is not multiplied by quantity (fixed_per_unit would pay 25.00 × 3 = 75.00)", () => {
    const kits = plan({ kits: [perOrder("2500")] });
    const result = evaluate(input(kits, [orderLine("kit", "STARTER-KIT", 3, 9_900n)]));
    expect(paid(result.lines)).toEqual(["kit L1 ana 2500"]);
  });

  it("reverses a refunded line's share only", () => {
    const result = evaluate(input(rules, THREE_LINES));
    const reversal = reverseForRefund({
      original: result,
      refund: refund("r1", [{ platformLineId: "cream", quantity: 3, subtotalMinor: 12_345n }]),
      progress: NOTHING_REVERSED,
    });
    expect(reversal.lines.map((line) => `${line.distributorId} ${line.amountMinor}`)).toEqual(["ana -287", "ben -115"]);
  });

  it("is flagged, not paid, in another currency", () => {
    const result = evaluate(input(plan({ standard: [perOrder("500", "EUR")] }), THREE_LINES));
    expect(result.lines).toEqual([]);
    expect(result.flags.filter((flag) => flag.type === "rate_currency_mismatch")).toHaveLength(3);
  });
});

describe("rates relative to another level's commission (percent_of_commission)", () => {
  // UpPromote's "network commission calculated on program commission" (glamorgirlbeauty.com's UpPromote help
  // page, [pub] rule and rates): David sells 1000.00 at 10% → 100.00; Michelle (level 2) 5%, Victor 4%, John 2%
  // of David's 100.00 → 5.00, 4.00, 2.00 [derived].
  it("pays every upline a percent of the seller's commission (of: level_1)", () => {
    const rules = plan({ standard: [percent("10"), relative("5", "level_1"), relative("4", "level_1"), relative("2", "level_1")] });
    const result = evaluate(input(rules, [orderLine("sale", "SERUM-30", 1, 100_000n)], chain("david", "michelle", "victor", "john")));
    expect(paid(result.lines)).toEqual(["sale L1 david 10000", "sale L2 michelle 500", "sale L3 victor 400", "sale L4 john 200"]);
    expect(result.lines[1]).toMatchObject({ basisMinor: 10_000n, rate: { kind: "percent_of_commission", percent: "5", of: "level_1" } });
  });

  // GoAffPro's "Dynamic" commissions (% of the downline's commission, docs.goaffpro.com/multi-level-marketing):
  // each level earns a percent of what the level just below earned on the line, after its rounding.
  //   base 99.99: L1 10% = 9.999 → 10.00; L2 50% of 10.00 = 5.00; L3 13% of 5.00 = 0.65; L4 50% of 0.65 = 0.325 → 0.32
  it("cascades: each level earns a percent of the level below, rounded once per level", () => {
    const rules = plan({ standard: [percent("10"), relative("50"), relative("13"), relative("50")] });
    const result = evaluate(input(rules, [orderLine("sale", "SERUM-30", 1, 9_999n)]));
    expect(paid(result.lines)).toEqual(["sale L1 ana 1000", "sale L2 ben 500", "sale L3 cai 65", "sale L4 dee 32"]);
  });

  it("keeps the cascade when a level is breakage: the level above earns on what the inactive level would have", () => {
    const rules = plan({ standard: [percent("10"), relative("50"), relative("50")] }, {}, "none");
    const result = evaluate(input(rules, [orderLine("sale", "SERUM-30", 1, 10_000n)], chain("ana", ["ben", "inactive"], "cai")));
    expect(paid(result.lines)).toEqual(["sale L1 ana 1000", "sale L3 cai 250"]);
    expect(result.breakage.map((line) => [line.level, line.amountMinor, line.reason])).toEqual([[2, 500n, "not_active"]]);
  });

  it("refuses a relative rate at level 1 and counts relative shares in maxPayoutPercent", () => {
    const atLevelOne = validatePlanRules({
      schemaVersion: 1,
      components: [{ type: "unilevel", id: "u", maxDepth: 1, compression: "dynamic", rates: { standard: [relative("5")] } }],
    });
    expect(atLevelOne).toMatchObject({ ok: false, issues: [{ path: "components[0].rates.standard[0].kind" }] });
    // 10% + 50% of 10% + 50% of 5% = 17.5% of the base: over a 17% ceiling.
    const share = validatePlanRules({
      schemaVersion: 1,
      maxPayoutPercent: "17",
      components: [{ type: "unilevel", id: "u", maxDepth: 3, compression: "dynamic", rates: { standard: [percent("10"), relative("50"), relative("50")] } }],
    });
    expect(share).toMatchObject({ ok: false, issues: [{ path: "maxPayoutPercent", message: expect.stringContaining("add up to 17.5") }] });
  });
});

describe("the plan's rounding mode", () => {
  // serum 89.98 × 10% = 8.998 → 9.00 in every mode but toward_zero (8.99); cream 123.45 × 10% = 12.345 (a tie):
  // half_even 12.34, half_up 12.35, toward_zero 12.34; balm 1.35 × 10% = 0.135 (a tie): 0.14 / 0.14 / 0.13.
  const tenPercent = { standard: [percent("10")] };
  const amounts = (rounding?: string) => {
    const result = evaluate(input(plan(tenPercent, rounding === undefined ? {} : { rounding }), THREE_LINES));
    return result.lines.map((line) => line.amountMinor);
  };

  it("rounds half-even by default, or as the plan says", () => {
    expect(amounts()).toEqual([900n, 1_234n, 14n]);
    expect(amounts("half_even")).toEqual([900n, 1_234n, 14n]);
    expect(amounts("half_up")).toEqual([900n, 1_235n, 14n]);
    expect(amounts("toward_zero")).toEqual([899n, 1_234n, 13n]);
  });

  it("applies to relative rates too (0.50 × 13% = 0.065: half-even 0.06, half-up 0.07)", () => {
    const rules = (rounding: string) => plan({ standard: [percent("10"), relative("13")] }, { rounding });
    const run = (rounding: string) => evaluate(input(rules(rounding), [orderLine("sale", "SERUM-30", 1, 500n)])).lines.map((line) => line.amountMinor);
    expect(run("half_even")).toEqual([50n, 6n]);
    expect(run("half_up")).toEqual([50n, 7n]);
  });

  it("is recorded in the snapshot with the rules, so a replay rounds the same way", () => {
    const result = evaluate(input(plan(tenPercent, { rounding: "toward_zero" }), THREE_LINES));
    expect(evaluationToJson(evaluate(inputFromSnapshot(JSON.parse(JSON.stringify(result.snapshot)))))).toBe(evaluationToJson(result));
  });

  it("rejects an unknown mode with a field error", () => {
    expect(
      validatePlanRules({
        schemaVersion: 1,
        rounding: "bankers",
        components: [{ type: "unilevel", id: "u", maxDepth: 1, compression: "dynamic", rates: { standard: [percent("1")] } }],
      }),
    ).toMatchObject({
      ok: false,
      issues: [{ path: "rounding", message: 'must be "half_even", "half_up" or "toward_zero"' }],
    });
  });
});
