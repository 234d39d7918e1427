import type { Prisma } from "~/generated/prisma/client";

/** The advisory lock key of one platform order (hashed to a bigint by PostgreSQL's hashtextextended). */
export function orderLockKey(shopId: string, platform: string, platformOrderId: string): string {
  return `${shopId}:${platform}:${platformOrderId}`;
}

/**
 * Serializes, per order, the transactions that store it and its refunds. Without it an order and its refund
 * processed at the same instant each miss the other's uncommitted row and the refund stays parked. A
 * transaction-scoped advisory lock: released at commit or rollback, never leaked.
 */
export async function lockOrderKey(tx: Prisma.TransactionClient, shopId: string, platform: string, platformOrderId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${orderLockKey(shopId, platform, platformOrderId)}, 0))`;
}
