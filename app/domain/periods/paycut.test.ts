/**
 * Worked example for the paycut (issue 11), exact to the cent: a period's commissions cut down to a share of
 * its sales, the cut spread by largest remainder and posted as negative lines.
 */
import { describe, expect, it } from "vitest";
import { closePeriod } from "./close";
import { closeInput, periodPlan, tree } from "~test/support/periods";

const TREE = tree({ ROOT: {}, A: { sponsor: "ROOT" }, B: { sponsor: "ROOT" }, C: { sponsor: "ROOT" } });
const unilevel = { type: "unilevel", id: "uni", maxDepth: 1, compression: "dynamic", rates: { standard: [{ kind: "percent", percent: "10" }] } };
const plan = periodPlan([unilevel], { paycut: { maxPercent: "40" } });
const earnings = (a: number, b: number, c: number) =>
  [
    ["A", a],
    ["B", b],
    ["C", c],
  ].map(([distributorId, amount]) => ({ distributorId: String(distributorId), rule: "uni", amountMinor: BigInt(amount!), currency: "USD" }));

describe("a paycut at 40% of the period's sales", () => {
  // Sales 1000.00 → at most 400.00. Earned: A 250.00, B 120.00, C 100.00 = 470.00 → cut 70.00, by 25000 : 12000 :
  // 10000 (of 47000): A 37.234…, B 17.872…, C 14.893… → floors 37.23 + 17.87 + 14.89 = 69.99; the cent left goes
  // to the largest remainder (A, .40 against .36 and .23): A −37.24, B −17.87, C −14.89 = −70.00 exactly.
  it("takes the excess back from everyone in proportion to what they earned, to the cent", () => {
    const result = closePeriod(closeInput({ planVersion: plan, distributors: TREE, earnings: earnings(25_000, 12_000, 10_000), salesBaseMinor: 100_000n }));
    expect(result.lines.map((line) => [line.distributorId, line.rule, line.amountMinor])).toEqual([
      ["A", "paycut", -3_724n],
      ["B", "paycut", -1_787n],
      ["C", "paycut", -1_489n],
    ]);
    expect(result.lines[0]!.detail).toEqual({ type: "paycut", maxPercent: "40", earnedMinor: 25_000n, salesBaseMinor: 100_000n });
    expect(result.totals.map((total) => [total.idempotencyKey, total.amountMinor])).toEqual([
      ["period:2026-03:paycut:A", -3_724n],
      ["period:2026-03:paycut:B", -1_787n],
      ["period:2026-03:paycut:C", -1_489n],
    ]);
    // What the period pays after the cut is exactly the cap.
    expect(result.payouts.reduce((sum, payout) => sum + payout.payableMinor, 0n)).toBe(40_000n);
  });

  it("cuts nothing at or under the cap, and flags a close without the sales base", () => {
    expect(
      closePeriod(closeInput({ planVersion: plan, distributors: TREE, earnings: earnings(25_000, 10_000, 5_000), salesBaseMinor: 100_000n })).lines,
    ).toEqual([]);
    expect(closePeriod(closeInput({ planVersion: plan, distributors: TREE, earnings: earnings(1, 1, 1) })).flags).toContainEqual({
      type: "sales_base_missing",
    });
  });
});
