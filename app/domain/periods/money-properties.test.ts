/**
 * Money properties of the period close over every period component type (issue 11 acceptance), over random
 * trees whose root is the shop's company node, random volumes, per-order earnings, clawbacks, paycut and plan
 * currencies (fast-check):
 *   - the company node is never paid: no line and no payout, what it would get is breakage "company_node";
 *   - the period never pays more than the plan allows: with a paycut, everything the period pays (per-order
 *     earnings + its own lines) stays within the cap; a payout never exceeds what is payable after debts;
 *   - nothing is dropped silently: a component whose amounts are in another currency than the shop's pays
 *     nothing and is flagged currency_mismatch, and a close whose currencies all match has no such flag.
 * Bounded: 150 runs per property.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentToRatio } from "../engine/decimal";
import { closePeriod } from "./close";
import { closeInput, periodPlan } from "~test/support/periods";
import type { BinarySide, PeriodCloseInput, PeriodDistributor } from "./types";

const RUNS = { numRuns: 150 };
const COMPANY = "d0";

/** d0 is the company node; everyone else's sponsor is an earlier node, placed at the outside of the chosen leg. */
const genealogyArbitrary = fc
  .array(
    fc.record({
      sponsor: fc.nat(),
      side: fc.constantFrom<BinarySide>("left", "right"),
      status: fc.constantFrom<PeriodDistributor["status"]>("active", "active", "active", "inactive"),
      pv: fc.integer({ min: 0, max: 800 }),
    }),
    { minLength: 2, maxLength: 30 },
  )
  .map((nodes) => {
    const slots = new Map<string, { left?: string; right?: string }>();
    const distributors: PeriodDistributor[] = nodes.map((node, index) => {
      const id = `d${index}`;
      if (index === 0) return { distributorId: id, sponsorId: null, placement: null, status: "active", company: true };
      const sponsorId = `d${node.sponsor % index}`;
      let parentId = sponsorId;
      while (slots.get(parentId)?.[node.side] !== undefined) parentId = slots.get(parentId)![node.side]!;
      slots.set(parentId, { ...slots.get(parentId), [node.side]: id });
      return { distributorId: id, sponsorId, placement: { parentId, side: node.side }, status: node.status };
    });
    // The company node has no volume of its own (orders are never its sale) but its legs do.
    const volumes = nodes
      .slice(1)
      .map((node, index) => ({ distributorId: `d${index + 1}`, pvHundredths: BigInt(node.pv * 100), cvHundredths: BigInt(node.pv * 50) }));
    return { distributors, volumes };
  });

const planOptionsArbitrary = fc.record({
  binaryCurrency: fc.constantFrom("USD", "USD", "EUR"),
  bonusCurrency: fc.constantFrom("USD", "USD", "EUR"),
  binaryMode: fc.constantFrom("weak_leg", "strong_minus_weak"),
  paycut: fc.option(fc.integer({ min: 1, max: 60 }).map(String), { nil: null }),
});

type PlanOptions = { binaryCurrency: string; bonusCurrency: string; binaryMode: string; paycut: string | null };

function planOf(options: PlanOptions) {
  const binary: Record<string, unknown> = {
    type: "binary",
    id: "binary",
    volume: "pv",
    pairVolume: "100",
    payout: { kind: "per_pair", amountMinor: "1000", currency: options.binaryCurrency },
    firstPair: "1:1",
    carry: { mode: "carry" },
  };
  return periodPlan(
    [
      {
        type: "unilevel",
        id: "uni",
        maxDepth: 2,
        compression: "dynamic",
        rates: {
          standard: [
            { kind: "percent", percent: "10" },
            { kind: "percent", percent: "5" },
          ],
        },
      },
      options.binaryMode === "weak_leg" ? binary : { ...binary, basis: "strong_minus_weak", maxCyclesPerPeriod: 5 },
      {
        type: "rank",
        id: "ranks",
        volume: "pv",
        activeLegMinPersonalVolume: "10",
        ranks: [{ id: "gold", personalVolume: "100", groupVolume: "300", maxLegPercent: "70", activeLegs: 1 }],
      },
      { type: "matching", id: "match", matches: ["uni", "binary"], compression: "dynamic", generations: [{ percent: "10" }, { percent: "5" }] },
      { type: "rank_advancement", id: "advance", currency: options.bonusCurrency, bonuses: { gold: "2500" } },
    ],
    options.paycut === null ? {} : { paycut: { maxPercent: options.paycut } },
  );
}

const moneyArbitrary = fc.record({
  earnings: fc.array(fc.record({ who: fc.nat(), amount: fc.integer({ min: 0, max: 50_000 }) }), { maxLength: 20 }),
  clawbacks: fc.array(fc.record({ who: fc.nat(), amount: fc.integer({ min: 1, max: 20_000 }) }), { maxLength: 4 }),
  salesBase: fc.integer({ min: 0, max: 2_000_000 }),
});

function inputOf(
  genealogy: { distributors: PeriodDistributor[]; volumes: PeriodCloseInput["volumes"] },
  options: PlanOptions,
  money: { earnings: { who: number; amount: number }[]; clawbacks: { who: number; amount: number }[]; salesBase: number },
): PeriodCloseInput {
  const n = genealogy.distributors.length;
  // Per-order commissions never reach the company node (app/domain/engine/company-node.ts): d1 … d(n-1).
  const who = (index: number) => `d${1 + (index % (n - 1))}`;
  return closeInput({
    planVersion: planOf(options),
    distributors: genealogy.distributors,
    volumes: genealogy.volumes,
    earnings: money.earnings.map(({ who: index, amount }) => ({ distributorId: who(index), rule: "uni", amountMinor: BigInt(amount), currency: "USD" })),
    clawbacks: money.clawbacks.map(({ who: index, amount }) => ({ distributorId: who(index), currency: "USD", amountMinor: BigInt(-amount) })),
    salesBaseMinor: BigInt(money.salesBase),
  });
}

describe("money properties of the period close", () => {
  it("never pays the company node: no line, no payout; what it would get is breakage", () => {
    fc.assert(
      fc.property(genealogyArbitrary, planOptionsArbitrary, moneyArbitrary, (genealogy, options, money) => {
        const result = closePeriod(inputOf(genealogy, options, money));
        expect(result.lines.filter((line) => line.distributorId === COMPANY)).toEqual([]);
        expect(result.payouts.filter((payout) => payout.distributorId === COMPANY && payout.paidMinor !== 0n)).toEqual([]);
        // What it would be paid is breakage "company_node" (or "cap", the part beyond a cap, before that).
        for (const breakage of result.breakage.filter((row) => row.distributorId === COMPANY)) expect(["company_node", "cap"]).toContain(breakage.reason);
      }),
      RUNS,
    );
  });

  it("pays no more than the plan allows: within the paycut, and never above what is payable after debts", () => {
    fc.assert(
      fc.property(genealogyArbitrary, planOptionsArbitrary, moneyArbitrary, (genealogy, options, money) => {
        const input = inputOf(genealogy, options, money);
        const result = closePeriod(input);
        if (options.paycut !== null) {
          const ratio = percentToRatio(options.paycut);
          const allowed = (input.salesBaseMinor! * ratio.numerator) / ratio.denominator;
          const total = [...input.earnings, ...result.lines].reduce((sum, row) => sum + row.amountMinor, 0n);
          expect(total).toBeLessThanOrEqual(allowed > 0n ? allowed : 0n);
        }
        for (const payout of result.payouts) {
          expect(payout.payableMinor).toBe(payout.carriedInMinor + payout.earnedMinor);
          expect(payout.paidMinor).toBeGreaterThanOrEqual(0n);
          expect(payout.paidMinor).toBeLessThanOrEqual(payout.payableMinor > 0n ? payout.payableMinor : 0n);
          expect(payout.paidMinor + payout.carriedOutMinor).toBe(payout.payableMinor);
        }
      }),
      RUNS,
    );
  });

  it("drops nothing silently: an amount in another currency pays nothing and is flagged; matching currencies raise no flag", () => {
    fc.assert(
      fc.property(genealogyArbitrary, planOptionsArbitrary, moneyArbitrary, (genealogy, options, money) => {
        const result = closePeriod(inputOf(genealogy, options, money));
        const mismatched = result.flags.flatMap((flag) => (flag.type === "currency_mismatch" ? [flag.rule] : []));
        if (options.binaryCurrency !== "USD") {
          expect(mismatched).toContain("binary");
          expect(result.lines.filter((line) => line.rule === "binary")).toEqual([]);
        }
        if (options.bonusCurrency !== "USD") {
          expect(mismatched).toContain("advance");
          expect(result.lines.filter((line) => line.rule === "advance")).toEqual([]);
        }
        if (options.binaryCurrency === "USD" && options.bonusCurrency === "USD") expect(mismatched).toEqual([]);
        for (const line of result.lines) expect(line.currency).toBe("USD");
      }),
      RUNS,
    );
  });
});
