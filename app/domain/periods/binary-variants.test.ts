/**
 * Worked examples for issue 11's binary variants, exact to the cent: cycles of a fixed volume pair with a
 * maximum number of cycles per period, pay on the strong-minus-weak difference, and the plan's rounding mode
 * on percent payouts. Volumes are in points (pts → hundredths).
 */
import { describe, expect, it } from "vitest";
import { validatePlanRules } from "../engine";
import { closePeriod } from "./close";
import { APRIL, BINARY, closeInput, periodPlan, pts, pv, tree } from "~test/support/periods";
import type { PeriodCloseInput } from "./types";

// ROOT has L on the left leg and R on the right.
const TREE = tree({ ROOT: {}, L: { sponsor: "ROOT", parent: "ROOT", side: "left" }, R: { sponsor: "ROOT", parent: "ROOT", side: "right" } });

function root(input: PeriodCloseInput) {
  const result = closePeriod(input);
  return {
    result,
    row: result.binary.find((row) => row.distributorId === "ROOT")!,
    line: result.lines.find((line) => line.distributorId === "ROOT"),
    carry: result.carry.binary.find((row) => row.distributorId === "ROOT"),
    breakage: result.breakage.filter((line) => line.distributorId === "ROOT"),
  };
}

describe("cycles with a maximum per period", () => {
  // A cycle is 300 points left + 300 right and pays 30.00 ("300 on each leg to earn that period's commissions",
  // itmncgroup.com/services/binary-plan, 1:1 plan; 30.00 per cycle and the 2-cycle maximum are this example's).
  // Left 1250, right 980: ⌊980 ÷ 300⌋ = 3 cycles form and consume 900 a side; only 2 are paid (60.00), the third
  // (30.00) is breakage and its volume is flushed with it. Carry: left 1250 − 900 = 350, right 980 − 900 = 80.
  const plan = periodPlan([{ ...BINARY, pairVolume: "300", payout: { kind: "per_pair", amountMinor: "3000", currency: "USD" }, maxCyclesPerPeriod: 2 }]);

  it("pays at most the maximum cycles, consumes every formed cycle, carries the rest", () => {
    const { row, line, carry, breakage } = root(closeInput({ planVersion: plan, distributors: TREE, volumes: pv({ L: 1250, R: 980 }) }));
    expect(row).toMatchObject({ pairs: 3, consumedLeft: pts(900), consumedRight: pts(900), earnedMinor: 9_000n, paidMinor: 6_000n });
    expect(line).toMatchObject({ amountMinor: 6_000n, detail: { type: "binary", pairs: 3, pairedHundredths: pts(900), earnedMinor: 9_000n } });
    expect(breakage).toEqual([{ rule: "binary", kind: "binary", distributorId: "ROOT", amountMinor: 3_000n, currency: "USD", reason: "cap" }]);
    expect(carry).toMatchObject({ left: [{ periodKey: "2026-03", hundredths: pts(350) }], right: [{ periodKey: "2026-03", hundredths: pts(80) }] });
  });

  it("starts counting again the next period", () => {
    const march = root(closeInput({ planVersion: plan, distributors: TREE, volumes: pv({ L: 1250, R: 980 }) }));
    // April: left 350 carried + 0, right 80 carried + 520 = 600 → ⌊350 ÷ 300⌋ = 1 cycle, 30.00.
    const april = root(closeInput({ period: APRIL, planVersion: plan, distributors: TREE, volumes: pv({ R: 520 }), binaryCarry: march.result.carry.binary }));
    expect(april.row).toMatchObject({ pairs: 1, paidMinor: 3_000n });
  });
});

describe("pay on the difference (basis strong_minus_weak)", () => {
  // Left 1000, right 700: D = 300. With cycles of 100 points at 10.00: 3 cycles, 30.00. The weak 700 is consumed
  // on both sides and the 300 paid on the left: nothing carries.
  it("pays per cycle of the stronger leg's excess", () => {
    const plan = periodPlan([{ ...BINARY, basis: "strong_minus_weak" }]);
    const { row, line, carry } = root(closeInput({ planVersion: plan, distributors: TREE, volumes: pv({ L: 1000, R: 700 }) }));
    expect(row).toMatchObject({ pairs: 3, consumedLeft: pts(1000), consumedRight: pts(700), paidMinor: 3_000n });
    expect(line).toMatchObject({ amountMinor: 3_000n, detail: { pairs: 3, pairedHundredths: pts(300) } });
    expect(carry).toMatchObject({ left: [], right: [] });
  });

  // Right stronger: left 412.5, right 1000 → D = 587.5; cycles of 100 → 5 cycles (500 points), 87.5 carries on the
  // right. At 7.5% of the paid volume (one point = 1.00): 500 × 7.5% = 37.50.
  it("pays a percent of the paid difference and carries the part below one cycle on the stronger side", () => {
    const plan = periodPlan([{ ...BINARY, basis: "strong_minus_weak", payout: { kind: "percent_of_pair_volume", percent: "7.5" } }]);
    const { row, carry } = root(closeInput({ planVersion: plan, distributors: TREE, volumes: pv({ L: 412.5, R: 1000 }) }));
    expect(row).toMatchObject({ pairs: 5, consumedLeft: pts(412.5), consumedRight: pts(912.5), paidMinor: 3_750n });
    expect(carry).toMatchObject({ left: [], right: [{ periodKey: "2026-03", hundredths: pts(87.5) }] });
  });

  it("refuses a 1:2 first pair with the difference basis", () => {
    const rules = { schemaVersion: 1, period: { schedule: "monthly" }, components: [{ ...BINARY, basis: "strong_minus_weak", firstPair: "1:2_or_2:1" }] };
    expect(validatePlanRules(rules)).toMatchObject({
      ok: false,
      issues: [{ path: "components[0].firstPair", message: 'must be "1:1" when basis is "strong_minus_weak"' }],
    });
  });
});

describe("the plan's rounding mode on period payouts", () => {
  // 100.05 points paired at 12.5% → 12.50625 → half-even/half-up 12.51, toward zero 12.50.
  const plan = (rounding?: string) =>
    periodPlan([{ ...BINARY, pairVolume: "0.01", payout: { kind: "percent_of_pair_volume", percent: "12.5" } }], rounding ? { rounding } : {});
  const paid = (rounding?: string) =>
    root(closeInput({ planVersion: plan(rounding), distributors: TREE, volumes: pv({ L: 100.05, R: 100.05 }) })).row.paidMinor;

  it("rounds binary percent payouts in the plan's mode", () => {
    expect([paid(), paid("half_up"), paid("toward_zero")]).toEqual([1_251n, 1_251n, 1_250n]);
  });

  it("rounds matching in the plan's mode: 12.5% of 0.45 = 0.05625 → 0.06, toward zero 0.05", () => {
    const matching = (rounding?: string) =>
      periodPlan(
        [
          { type: "matching", id: "match", matches: ["uni"], compression: "dynamic", generations: [{ percent: "12.5" }] },
          { type: "unilevel", id: "uni", maxDepth: 1, compression: "dynamic", rates: { standard: [{ kind: "percent", percent: "1" }] } },
        ],
        rounding ? { rounding } : {},
      );
    const amount = (rounding?: string) =>
      closePeriod(
        closeInput({ planVersion: matching(rounding), distributors: TREE, earnings: [{ distributorId: "L", rule: "uni", amountMinor: 45n, currency: "USD" }] }),
      ).lines.find((line) => line.rule === "match")?.amountMinor;
    expect([amount(), amount("toward_zero")]).toEqual([6n, 5n]);
  });
});
