/**
 * Ledger properties over random evaluations and refund sequences (fast-check).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../engine/evaluate";
import { NOTHING_REVERSED, reverseForRefund, type ReversalResult } from "../refunds/reversal";
import { evaluationInputArbitrary, fullRefundInParts, refundSplitArbitrary, sumBy } from "~test/support/engine";
import { isBalanced, sumByCurrency } from "./balance";
import { commissionExpensePerOrder, expectedCommissionForOrder, reconcileDay } from "./reconcile";
import { buildCommissionTransactions, buildHoldReleasesForOrder, buildReversalTransactions, type LedgerTransactionDraft } from "./transactions";

describe("ledger properties", () => {
  it("every transaction sums to zero per currency; a full refund empties every account; reconciliation balances", () => {
    fc.assert(
      fc.property(evaluationInputArbitrary, refundSplitArbitrary, fc.integer({ min: 0, max: 6 }), (input, cuts, releaseAfter) => {
        const evaluation = evaluate(input);
        const drafts: LedgerTransactionDraft[] = buildCommissionTransactions({ shopId: "shop", evaluation });
        const reversals: ReversalResult[] = [];
        let progress = NOTHING_REVERSED;
        let released = false;
        fullRefundInParts(input.order, cuts).forEach((refund, index) => {
          // Release the holds part-way through some sequences: later clawbacks then hit the available wallet.
          if (index === releaseAfter) {
            drafts.push(...buildHoldReleasesForOrder({ shopId: "shop", evaluation, reversals, occurredAt: refund.refundedAt }));
            released = true;
          }
          const reversal = reverseForRefund({ original: evaluation, refund, progress });
          progress = reversal.progress;
          reversals.push(reversal);
          drafts.push(...buildReversalTransactions({ shopId: "shop", reversal, walletStage: () => (released ? "available" : "pending") }));
        });

        for (const draft of drafts) {
          expect(isBalanced(draft.postings)).toBe(true);
          expect([...sumByCurrency(draft.postings).keys()]).toEqual([input.order.currency]);
        }
        const keys = drafts.map((draft) => draft.idempotencyKey);
        expect(new Set(keys).size).toBe(keys.length);

        const balances = sumBy(
          drafts.flatMap((draft) => draft.postings),
          (p) => p.account,
          (p) => p.amountMinor,
        );
        for (const balance of balances.values()) expect(balance).toBe(0n);

        const expected = expectedCommissionForOrder(evaluation, reversals);
        expect(expected.amountMinor).toBe(0n);
        expect(reconcileDay([expected], commissionExpensePerOrder(drafts)).balanced).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
