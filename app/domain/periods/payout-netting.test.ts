/**
 * Payout decisions net every balance brought forward: a clawback's debt is worked off before anything is paid.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closePeriod } from "./close";
import { netPayouts } from "./payout-netting";
import { periodInputFromSnapshot } from "./snapshot";
import { APRIL, MARCH, closeInput, earned, periodPlan, tree } from "~test/support/periods";

const usd = (distributorId: string, amountMinor: bigint) => ({ distributorId, currency: "USD", amountMinor });

describe("netPayouts", () => {
  it("the worked example: owing 50.00, earning 30.00 pays nothing and carries 20.00 of debt; 80.00 more pays 60.00", () => {
    const minimumFor = () => 1_000n;
    const [february] = netPayouts({ carried: [usd("A", -5_000n)], earned: [usd("A", 3_000n)], minimumFor });
    expect(february).toEqual({
      distributorId: "A",
      currency: "USD",
      carriedInMinor: -5_000n,
      earnedMinor: 3_000n,
      payableMinor: -2_000n,
      decision: "carry_debt",
      paidMinor: 0n,
      carriedOutMinor: -2_000n,
    });
    const [march] = netPayouts({ carried: [usd("A", february!.carriedOutMinor)], earned: [usd("A", 8_000n)], minimumFor });
    expect(march).toEqual({
      distributorId: "A",
      currency: "USD",
      carriedInMinor: -2_000n,
      earnedMinor: 8_000n,
      payableMinor: 6_000n,
      decision: "pay",
      paidMinor: 6_000n,
      carriedOutMinor: 0n,
    });
  });

  it("never mixes currencies: each has its own balance and minimum", () => {
    const decisions = netPayouts({
      carried: [usd("A", -5_000n), { distributorId: "A", currency: "EUR", amountMinor: 700n }],
      earned: [usd("A", 3_000n), { distributorId: "A", currency: "EUR", amountMinor: 400n }],
      minimumFor: (currency) => (currency === "EUR" ? 1_000n : 0n),
    });
    expect(decisions.map((d) => [d.currency, d.decision, d.paidMinor, d.carriedOutMinor])).toEqual([
      ["EUR", "pay", 1_100n, 0n],
      ["USD", "carry_debt", 0n, -2_000n],
    ]);
  });

  it("loses and doubles nothing: over any run of decisions, paid + last carry = first carry + earned; nothing is paid while in debt", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -100_000n, max: 100_000n }),
        fc.array(fc.bigInt({ min: -50_000n, max: 50_000n }), { maxLength: 12 }),
        fc.bigInt({ min: 0n, max: 20_000n }),
        (first, earnings, minimum) => {
          let carried = first;
          let paid = 0n;
          for (const amount of earnings) {
            const [decision] = netPayouts({ carried: [usd("A", carried)], earned: [usd("A", amount)], minimumFor: () => minimum });
            if (!decision) continue;
            if (decision.payableMinor <= 0n) expect(decision.paidMinor).toBe(0n);
            expect(decision.paidMinor === 0n || decision.paidMinor >= minimum).toBe(true);
            paid += decision.paidMinor;
            carried = decision.carriedOutMinor;
          }
          expect(paid + carried).toBe(first + earnings.reduce((sum, amount) => sum + amount, 0n));
        },
      ),
    );
  });
});

describe("the close's payout decisions", () => {
  const plan = periodPlan([{ type: "unilevel", id: "uni", maxDepth: 1, compression: "dynamic", rates: { standard: [{ kind: "percent", percent: "10" }] } }], {
    period: { schedule: "monthly", minimumPayout: { amountMinor: "1000", currency: "USD" } },
  });
  const distributors = tree({ A: {} });

  it("net this period's clawbacks of earlier orders and carry the debt to the next close", () => {
    const march = closePeriod(
      closeInput({ planVersion: plan, distributors, period: MARCH, earnings: earned({ A: 3_000 }, "uni"), clawbacks: [usd("A", -5_000n)] }),
    );
    expect(march.payouts).toEqual([
      {
        distributorId: "A",
        carriedInMinor: -5_000n,
        earnedMinor: 3_000n,
        payableMinor: -2_000n,
        decision: "carry_debt",
        paidMinor: 0n,
        carriedOutMinor: -2_000n,
      },
    ]);
    expect(march.carry.deferredPayouts).toEqual([{ distributorId: "A", amountMinor: -2_000n }]);
    expect(closePeriod(periodInputFromSnapshot(march.snapshot)).payouts).toEqual(march.payouts);
    const april = closePeriod(
      closeInput({ planVersion: plan, distributors, period: APRIL, earnings: earned({ A: 8_000 }, "uni"), deferredPayouts: march.carry.deferredPayouts }),
    );
    expect(april.payouts).toEqual([
      { distributorId: "A", carriedInMinor: -2_000n, earnedMinor: 8_000n, payableMinor: 6_000n, decision: "pay", paidMinor: 6_000n, carriedOutMinor: 0n },
    ]);
    expect(april.carry.deferredPayouts).toEqual([]);
  });
});
