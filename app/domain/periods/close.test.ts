/**
 * The period close as a whole: closing twice, re-opening with corrections, rank advancement, the minimum
 * payout and the plan's payout share.
 */
import { describe, expect, it } from "vitest";
import { closePeriod } from "./close";
import { periodCorrections } from "./corrections";
import { periodInputFromSnapshot, periodResultToJson } from "./snapshot";
import { APRIL, BINARY, closeInput, earned, periodPlan, pv, tree } from "~test/support/periods";
import type { PeriodLineTotal } from "./types";

const RANKS = {
  type: "rank",
  id: "ranks",
  volume: "pv",
  activeLegMinPersonalVolume: "0",
  ranks: [
    { id: "silver", personalVolume: "100", groupVolume: "500", activeLegs: 1 },
    { id: "gold", personalVolume: "100", groupVolume: "1000", activeLegs: 2 },
  ],
};
const UNILEVEL = { type: "unilevel", id: "uni", maxDepth: 1, compression: "dynamic", rates: { standard: [{ kind: "percent", percent: "10" }] } };
const MATCHING = { type: "matching", id: "match", matches: ["uni", "binary"], compression: "dynamic", generations: [{ percent: "10" }] };
const ADVANCEMENT = { type: "rank_advancement", id: "advance", currency: "USD", bonuses: { silver: "10000", gold: "25000" } };

// S sponsors and places L (left) and R (right); T sponsored S.
const TREE = tree({
  T: {},
  S: { sponsor: "T", parent: "T", side: "left" },
  L: { sponsor: "S", parent: "S", side: "left" },
  R: { sponsor: "S", parent: "S", side: "right" },
});
const plan = periodPlan([UNILEVEL, BINARY, RANKS, MATCHING, ADVANCEMENT]);
const march = closeInput({ planVersion: plan, distributors: TREE, volumes: pv({ S: 100, L: 500, R: 450 }), earnings: earned({ S: 2_000 }) });

/** A ledger that keeps one row per idempotency key, like the unique (shopId, idempotencyKey) index. */
function post(ledger: Map<string, PeriodLineTotal>, totals: readonly PeriodLineTotal[]): number {
  let inserted = 0;
  for (const total of totals) {
    if (ledger.has(total.idempotencyKey)) continue;
    ledger.set(total.idempotencyKey, total);
    inserted += 1;
  }
  return inserted;
}

describe("a period closed twice", () => {
  it("gives the same result and the same idempotency keys, so the second close posts nothing", () => {
    const first = closePeriod(march);
    expect(first.lines.map((line) => [line.rule, line.distributorId, line.amountMinor])).toEqual([
      ["binary", "S", 4_000n], // 4 pairs of 100 (450 right), $10 each
      ["match", "T", 600n], // 10% of S's $20 unilevel + $40 binary
      ["advance", "S", 10_000n], // S reaches gold (1,050 GV, 2 legs): silver and gold, both first time
      ["advance", "S", 25_000n],
    ]);
    expect(first.totals.map((total) => [total.idempotencyKey, total.amountMinor])).toEqual([
      ["period:2026-03:binary:S", 4_000n],
      ["period:2026-03:match:T", 600n],
      ["period:2026-03:advance:S", 35_000n],
    ]);
    const ledger = new Map<string, PeriodLineTotal>();
    expect(post(ledger, first.totals)).toBe(3);

    const second = closePeriod(march);
    expect(periodResultToJson(second)).toBe(periodResultToJson(first));
    expect(post(ledger, second.totals)).toBe(0);
  });

  it("does not depend on the order the rows were loaded in, and replays from its snapshot", () => {
    const first = closePeriod(march);
    const shuffled = closePeriod({ ...march, distributors: [...march.distributors].reverse(), volumes: [...march.volumes].reverse() });
    expect(periodResultToJson({ ...shuffled, snapshot: null })).toBe(periodResultToJson({ ...first, snapshot: null }));
    const stored = JSON.parse(JSON.stringify(first.snapshot));
    expect(periodResultToJson(closePeriod(periodInputFromSnapshot(stored)))).toBe(periodResultToJson(first));
  });
});

describe("re-opening a period", () => {
  it("posts the difference per (rule, recipient) as corrections under the re-open's revision, never edits", () => {
    const original = closePeriod(march);
    const ledger = new Map<string, PeriodLineTotal>();
    post(ledger, original.totals);

    // A refund of 150 of R's March volume is found after the close: R's leg drops to 300, and S's group
    // volume to 900, below gold.
    const recomputed = closePeriod({
      ...march,
      volumeAdjustments: [{ distributorId: "R", originPeriodKey: "2026-03", pvHundredths: 15_000n, cvHundredths: 15_000n }],
    });
    const corrections = periodCorrections({ posted: [...ledger.values()], recomputed, revision: 1 });
    expect(corrections.map((row) => [row.idempotencyKey, row.amountMinor])).toEqual([
      ["period-correction:2026-03:1:advance:S", -25_000n], // silver only: the gold bonus is taken back
      ["period-correction:2026-03:1:binary:S", -1_000n], // 3 pairs instead of 4
      ["period-correction:2026-03:1:match:T", -100n], // 10% of $50 instead of $60
    ]);
    post(ledger, corrections);
    const net = new Map<string, bigint>();
    for (const row of ledger.values()) net.set(`${row.rule}:${row.distributorId}`, (net.get(`${row.rule}:${row.distributorId}`) ?? 0n) + row.amountMinor);
    expect(Object.fromEntries(net)).toEqual(Object.fromEntries(recomputed.totals.map((total) => [`${total.rule}:${total.distributorId}`, total.amountMinor])));
    // Re-opening again with nothing new corrects nothing.
    expect(periodCorrections({ posted: [...ledger.values()], recomputed, revision: 2 })).toEqual([]);
  });
});

describe("rank advancement", () => {
  it("is paid once per rank ever: a distributor who already reached gold is not paid again", () => {
    const april = closePeriod({ ...march, period: APRIL, previousRanks: [{ distributorId: "S", highestRank: "gold" }] });
    expect(april.lines.filter((line) => line.rule === "advance")).toEqual([]);
    const fromSilver = closePeriod({ ...march, period: APRIL, previousRanks: [{ distributorId: "S", highestRank: "silver" }] });
    expect(fromSilver.lines.filter((line) => line.rule === "advance").map((line) => line.detail)).toEqual([{ type: "rank_advancement", rank: "gold" }]);
  });
});

describe("the minimum payout", () => {
  // "$10… Weekly and monthly balances are not combined: $7 weekly + $9 monthly is not paid" —
  // askthecat.mypurium.com/support/solutions/articles/6000037135-minimum-payment-amount
  const minimumPlan = periodPlan([UNILEVEL], { period: { schedule: "monthly", minimumPayout: { amountMinor: "1000", currency: "USD" } } });
  const distributors = tree({ A: {} });

  it("defers a $7 balance to the next period and pays it with the next $9", () => {
    const first = closePeriod(closeInput({ planVersion: minimumPlan, distributors, earnings: earned({ A: 700 }) }));
    expect(first.payouts).toEqual([
      { distributorId: "A", carriedInMinor: 0n, earnedMinor: 700n, payableMinor: 700n, decision: "defer", paidMinor: 0n, carriedOutMinor: 700n },
    ]);
    expect(first.carry.deferredPayouts).toEqual([{ distributorId: "A", amountMinor: 700n }]);
    const second = closePeriod(
      closeInput({ period: APRIL, planVersion: minimumPlan, distributors, earnings: earned({ A: 900 }), deferredPayouts: first.carry.deferredPayouts }),
    );
    expect(second.payouts).toEqual([
      { distributorId: "A", carriedInMinor: 700n, earnedMinor: 900n, payableMinor: 1_600n, decision: "pay", paidMinor: 1_600n, carriedOutMinor: 0n },
    ]);
    expect(second.carry.deferredPayouts).toEqual([]);
  });
});

describe("the plan's maximum payout share", () => {
  it("scales this close's bonuses down so per-order commissions plus bonuses stay within 10% of sales", () => {
    const capped = periodPlan([UNILEVEL, BINARY], { maxPayoutPercent: "10" });
    const result = closePeriod(
      closeInput({ planVersion: capped, distributors: TREE, volumes: pv({ L: 700, R: 700 }), earnings: earned({ S: 5_000 }), salesBaseMinor: 100_000n }),
    );
    // Allowed: 10% of 1,000.00 = 100.00, minus 50.00 per-order → 50.00 left for the 70.00 of binary.
    expect(result.lines.map((line) => [line.distributorId, line.amountMinor])).toEqual([["S", 5_000n]]);
    expect(result.breakage).toContainEqual({
      rule: "binary",
      kind: "binary",
      distributorId: "S",
      amountMinor: 2_000n,
      currency: "USD",
      reason: "payout_share",
    });
  });
});
