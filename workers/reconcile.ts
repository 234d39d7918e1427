/**
 * Repeatable jobs that keep the ledger equal to what the orders say:
 * - reconcile every (shop, day) whose numbers may have changed since the previous run, store the report, and
 *   warn about any delta (the API recomputes live; this keeps a history and raises the alarm);
 * - reverse refunds left parked although their order has landed (a race between two deliveries), which
 *   reconciliation would otherwise report as unapplied.
 */
import type { Db } from "~/db.server";
import { logger } from "~/logger.server";
import { daysToReconcile } from "~/services/commissions/reconcile.server";
import { storeReconciliation } from "~/services/commissions/reconciliation-report.server";
import { applyStrandedRefunds } from "~/services/commissions/stranded-refunds.server";

export const RECONCILE_EVERY_MS = 60 * 60_000;
/** As often as the inbox sweeper: a stranded refund should not wait long for its reversal. */
export const STRANDED_REFUNDS_EVERY_MS = 30_000;
/** Overlap with the previous run, so work committed while it ran is not missed. */
const OVERLAP_MS = 10 * 60_000;

export async function runReconciliation(db: Db, now = new Date()) {
  // Since the last stored report (minus an overlap), so a worker that was down for a day catches up.
  const last = await db.reconciliationReport.aggregate({ _max: { computedAt: true } });
  const since = new Date((last._max.computedAt?.getTime() ?? now.getTime() - 2 * RECONCILE_EVERY_MS) - OVERLAP_MS);
  let unbalanced = 0;
  const pairs = await daysToReconcile(db, since, now);
  for (const { shopId, day } of pairs) {
    const report = await storeReconciliation(db, shopId, day);
    if (report.balanced) continue;
    unbalanced += 1;
    logger.warn(
      {
        shopId,
        day,
        items: report.items.length,
        replayMismatches: report.replayMismatches.length,
        unevaluated: report.unevaluatedOrderIds.length,
        unappliedRefunds: report.unappliedRefundIds.length,
        refundGaps: report.refundGaps.length,
        droppedMoney: report.droppedMoney.length,
        companyWallet: report.companyWallet.length,
      },
      "reconciliation found a delta",
    );
  }
  return { days: pairs.length, unbalanced };
}

export async function runStrandedRefundSweep(db: Db) {
  const applied = await applyStrandedRefunds(db);
  if (applied > 0) logger.warn({ applied }, "reversed refunds left parked after their order landed");
  return { applied };
}
