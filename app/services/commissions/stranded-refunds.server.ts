/**
 * Safety net for refunds left parked although their order has landed. The ingest layer parks a refund whose
 * order it cannot see and unparks it in the transaction that stores the order; when the two deliveries are
 * processed at the same moment, each transaction misses the other's uncommitted row (the refund parks because
 * the order is not committed yet, the order unparks nothing because the refund is not committed yet), and the
 * refund would stay parked, never reversed. This finds such refunds, records them against their order and
 * reverses them, each in its own transaction, idempotently (a refund unparked meanwhile is simply skipped).
 */
import type { Db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { applyRefund } from "./reversals.server";

export async function applyStrandedRefunds(db: Db, options: { limit?: number; shopId?: string } = {}): Promise<number> {
  const limit = options.limit ?? 500;
  const stranded = await db.$queryRaw<{ id: string; shopId: string }[]>`
    SELECT r."id", r."shopId" FROM "Refund" r
    WHERE r."status" = 'parked' ${options.shopId ? Prisma.sql`AND r."shopId" = ${options.shopId}::uuid` : Prisma.empty}
      AND EXISTS (SELECT 1 FROM "Order" o WHERE o."shopId" = r."shopId" AND o."platform" = r."platform" AND o."platformOrderId" = r."platformOrderId")
    ORDER BY r."createdAt"
    LIMIT ${limit}`;
  let applied = 0;
  for (const refund of stranded) {
    const unparked = await db.$transaction(async (tx) => {
      // The Order row first, like every other commission write, so this never deadlocks with the order's ingest
      // (which holds the order and then unparks its refunds).
      await tx.$queryRaw`
        SELECT o."id" FROM "Order" o JOIN "Refund" r ON r."shopId" = o."shopId" AND r."platform" = o."platform" AND r."platformOrderId" = o."platformOrderId"
        WHERE r."id" = ${refund.id}::uuid AND o."shopId" = ${refund.shopId}::uuid
        FOR UPDATE OF o`;
      // Re-checked under the locks: the ingest path may have unparked it since the scan.
      const rows = await tx.$queryRaw<{ id: string }[]>`
        UPDATE "Refund" r SET "status" = 'recorded', "orderId" = o."id"
        FROM "Order" o
        WHERE r."id" = ${refund.id}::uuid AND r."shopId" = ${refund.shopId}::uuid AND r."status" = 'parked'
          AND o."shopId" = r."shopId" AND o."platform" = r."platform" AND o."platformOrderId" = r."platformOrderId"
        RETURNING r."id"`;
      if (rows.length === 0) return false;
      await applyRefund(tx, refund.shopId, refund.id);
      return true;
    });
    if (unparked) applied += 1;
  }
  return applied;
}
