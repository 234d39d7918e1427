import type { Tx } from "~/db/tx.server";
import { processOrderCommission } from "./compute.server";
import { applyRefund } from "./reversals.server";

/**
 * Called inside the transaction that stores an order (and marks its inbox row processed): attribute the order,
 * run the engine against the plan and upline in force at the order's time, post the ledger transactions; or,
 * for a cancelled order, reverse what was posted. Idempotent: a second call for the same order posts nothing new.
 */
export async function afterOrderStored(tx: Tx, shopId: string, orderId: string): Promise<void> {
  await processOrderCommission(tx, shopId, orderId);
}

/** Called inside the transaction that records a refund whose order is present: post the proportional reversal. */
export async function afterRefundRecorded(tx: Tx, shopId: string, refundId: string): Promise<void> {
  await applyRefund(tx, shopId, refundId);
}
