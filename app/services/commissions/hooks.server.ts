import type { Prisma } from "~/generated/prisma/client";

type Tx = Prisma.TransactionClient;

/**
 * Called inside the transaction that stores an order (and marks its inbox row processed): attribute the order,
 * run the engine against the plan and upline in force at the order's time, post the ledger transaction.
 * Idempotent: a second call for the same order posts nothing new.
 */
export async function afterOrderStored(_tx: Tx, _shopId: string, _orderId: string): Promise<void> {}

/** Called inside the transaction that records a refund whose order is present: post the proportional reversal. */
export async function afterRefundRecorded(_tx: Tx, _shopId: string, _refundId: string): Promise<void> {}
