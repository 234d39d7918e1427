/**
 * Binary worked examples with exact cents and volumes (hundredths of a point).
 */
import { describe, expect, it } from "vitest";
import { closePeriod } from "./close";
import { APRIL, BINARY, closeInput, periodPlan, pts, pv, tree } from "~test/support/periods";
import type { PeriodCloseInput } from "./types";

// ROOT has X on the left leg and Y on the right; X and Y each have one more below them.
const TREE = tree({
  ROOT: {},
  X: { sponsor: "ROOT", parent: "ROOT", side: "left" },
  Y: { sponsor: "ROOT", parent: "ROOT", side: "right" },
  X2: { sponsor: "X", parent: "X", side: "left" },
  Y2: { sponsor: "ROOT", parent: "Y", side: "right" },
});

function rootBinary(input: PeriodCloseInput) {
  const result = closePeriod(input);
  return { result, root: result.binary.find((row) => row.distributorId === "ROOT")!, carry: result.carry.binary.find((row) => row.distributorId === "ROOT") };
}

describe("binary pairing with carry-over and a cap", () => {
  // "700 Members Left / 1000 Right… you will get paid for 700 and the remaining 300 from your right side will
  // carry forward" — exigentsoftech.com/traditionational-binary-mlm-plan-india.html (pairs of 100 points here,
  // $10 a pair; the cents are derived).
  const plan = periodPlan([{ ...BINARY, capPerPeriod: { amountMinor: "5000", currency: "USD" }, carry: { mode: "carry", maxPoints: "250" } }]);

  it("pays the weaker leg's 7 pairs up to the $50 cap, carries the stronger leg's 300 capped at 250", () => {
    const { result, root, carry } = rootBinary(closeInput({ planVersion: plan, distributors: TREE, volumes: pv({ X: 400, X2: 300, Y: 600, Y2: 400 }) }));
    expect(root).toMatchObject({
      leftHundredths: pts(700),
      rightHundredths: pts(1000),
      pairs: 7,
      consumedLeft: pts(700),
      consumedRight: pts(700),
      earnedMinor: 7_000n,
      paidMinor: 5_000n,
    });
    expect(result.lines.filter((line) => line.distributorId === "ROOT")).toEqual([
      {
        distributorId: "ROOT",
        amountMinor: 5_000n,
        currency: "USD",
        kind: "binary",
        rule: "binary",
        detail: { type: "binary", pairs: 7, pairedHundredths: pts(700), earnedMinor: 7_000n },
      },
    ]);
    expect(result.breakage).toContainEqual({ rule: "binary", kind: "binary", distributorId: "ROOT", amountMinor: 2_000n, currency: "USD", reason: "cap" });
    expect(carry).toEqual({ rule: "binary", distributorId: "ROOT", left: [], right: [{ periodKey: "2026-03", hundredths: pts(250) }], hasPaired: true });

    // April: 200 more on the left pairs with the carried 250 → 2 pairs, 50 left on the right from March's lot.
    const april = rootBinary(closeInput({ period: APRIL, planVersion: plan, distributors: TREE, volumes: pv({ X2: 200 }), binaryCarry: result.carry.binary }));
    expect(april.root).toMatchObject({ carriedInRight: pts(250), leftHundredths: pts(200), pairs: 2, paidMinor: 2_000n });
    expect(april.carry).toMatchObject({ left: [], right: [{ periodKey: "2026-03", hundredths: pts(50) }] });
  });

  it("with a percent payout: 10% of the 700 paired points (one point = $1) is $70.00", () => {
    // "up to 6% of the total accrued amount on the smaller side" — support.goldreward.io/?a=6 (percent model).
    const percentPlan = periodPlan([{ ...BINARY, payout: { kind: "percent_of_pair_volume", percent: "10" } }]);
    const { root } = rootBinary(closeInput({ planVersion: percentPlan, distributors: TREE, volumes: pv({ X: 700, Y: 1000 }) }));
    expect(root).toMatchObject({ pairs: 7, paidMinor: 7_000n });
  });

  it("flush: nothing carries after the close", () => {
    const flushPlan = periodPlan([{ ...BINARY, carry: { mode: "flush" } }]);
    const { root, carry } = rootBinary(closeInput({ planVersion: flushPlan, distributors: TREE, volumes: pv({ X: 750, Y: 1000 }) }));
    expect(root).toMatchObject({ pairs: 7, paidMinor: 7_000n });
    expect(carry).toEqual({ rule: "binary", distributorId: "ROOT", left: [], right: [], hasPaired: true });
  });
});

describe("binary with an empty leg", () => {
  it("pairs nothing, pays nothing, and carries the full leg (uncapped) to the next period", () => {
    const plan = periodPlan([BINARY]);
    const { result, root, carry } = rootBinary(closeInput({ planVersion: plan, distributors: TREE, volumes: pv({ X: 500 }) }));
    expect(root).toMatchObject({ leftHundredths: pts(500), rightHundredths: 0n, pairs: 0, paidMinor: 0n });
    expect(result.lines).toEqual([]);
    expect(carry).toEqual({ rule: "binary", distributorId: "ROOT", left: [{ periodKey: "2026-03", hundredths: pts(500) }], right: [], hasPaired: false });
  });
});

describe("binary first pair 1:2 or 2:1", () => {
  // "The first pair must be 1:2 or 2:1; after that pairs are 1:1" — exigentsoftech.com (as above).
  const plan = periodPlan([{ ...BINARY, firstPair: "1:2_or_2:1" }]);
  const close = (left: number, right: number) => rootBinary(closeInput({ planVersion: plan, distributors: TREE, volumes: pv({ X: left, Y: right }) })).root;

  it("1:1 volume is not enough for a first pair", () => {
    expect(close(150, 150)).toMatchObject({ pairs: 0, paidMinor: 0n });
  });

  it("2:1 makes the first pair, then pairs are 1:1 (the stronger side gives two)", () => {
    expect(close(300, 300)).toMatchObject({ pairs: 2, consumedLeft: pts(300), consumedRight: pts(200), paidMinor: 2_000n });
    expect(close(100, 250)).toMatchObject({ pairs: 1, consumedLeft: pts(100), consumedRight: pts(200) });
  });
});

describe("refunds and the binary legs", () => {
  const plan = periodPlan([BINARY]);

  it("a refund inside the period lowers every leg it flowed into by exactly the refunded volume", () => {
    const input = closeInput({ planVersion: plan, distributors: TREE, volumes: pv({ X: 400, X2: 300, Y: 1000 }) });
    const refunded = closePeriod({
      ...input,
      volumeAdjustments: [{ distributorId: "X2", originPeriodKey: "2026-03", pvHundredths: pts(120), cvHundredths: pts(120) }],
    });
    const legs = (result: ReturnType<typeof closePeriod>) => result.binary.map((row) => [row.distributorId, row.leftHundredths, row.rightHundredths]);
    expect(legs(closePeriod(input))).toEqual([
      ["ROOT", pts(700), pts(1000)],
      ["X", pts(300), 0n],
    ]);
    expect(legs(refunded)).toEqual([
      ["ROOT", pts(580), pts(1000)],
      ["X", pts(180), 0n],
    ]);
  });

  it("a late refund takes its volume back out of the carry lot of its own period; what was paired is flagged", () => {
    const march = closePeriod(closeInput({ planVersion: plan, distributors: TREE, volumes: pv({ X: 700, Y: 1000 }) }));
    expect(march.carry.binary).toEqual([
      { rule: "binary", distributorId: "ROOT", left: [], right: [{ periodKey: "2026-03", hundredths: pts(300) }], hasPaired: true },
    ]);
    const april = (refundedPoints: number) =>
      closePeriod(
        closeInput({
          period: APRIL,
          planVersion: plan,
          distributors: TREE,
          binaryCarry: march.carry.binary,
          volumeAdjustments: [{ distributorId: "Y", originPeriodKey: "2026-03", pvHundredths: pts(refundedPoints), cvHundredths: 0n }],
        }),
      );
    expect(april(200).carry.binary).toEqual([
      { rule: "binary", distributorId: "ROOT", left: [], right: [{ periodKey: "2026-03", hundredths: pts(100) }], hasPaired: true },
    ]);
    expect(april(200).flags).toEqual([]);
    const tooMuch = april(500);
    expect(tooMuch.carry.binary[0]!.right).toEqual([]);
    expect(tooMuch.flags).toEqual([
      { type: "adjustment_exceeds_carry", rule: "binary", distributorId: "ROOT", side: "right", originPeriodKey: "2026-03", unreversedHundredths: pts(200) },
    ]);
  });

  it("carry lots are consumed oldest first", () => {
    const carried = [
      {
        rule: "binary",
        distributorId: "ROOT",
        left: [
          { periodKey: "2026-01", hundredths: pts(150) },
          { periodKey: "2026-02", hundredths: pts(100) },
        ],
        right: [],
        hasPaired: true,
      },
    ];
    const result = closePeriod(closeInput({ planVersion: plan, distributors: TREE, binaryCarry: carried, volumes: pv({ Y: 200 }) }));
    expect(result.carry.binary).toEqual([
      { rule: "binary", distributorId: "ROOT", left: [{ periodKey: "2026-02", hundredths: pts(50) }], right: [], hasPaired: true },
    ]);
  });
});
