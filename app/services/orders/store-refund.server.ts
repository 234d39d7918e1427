import type { Tx } from "~/db/tx.server";
import type { NormalizedRefund } from "~/domain/platforms/normalized";
import { toJson } from "./store-order.server";
import { lockOrderKey } from "./order-lock.server";

export interface StoredRefund {
  refundId: string | null;
  /** True when the refund's order has not arrived yet: it waits, parked, and is applied when the order lands. */
  parked: boolean;
  duplicate: boolean;
}

export async function storeRefund(tx: Tx, shopId: string, refund: NormalizedRefund, eventId: string): Promise<StoredRefund> {
  await lockOrderKey(tx, shopId, refund.platform, refund.platformOrderId);
  const order = await tx.order.findUnique({
    where: { shopId_platform_platformOrderId: { shopId, platform: refund.platform, platformOrderId: refund.platformOrderId } },
    select: { id: true },
  });
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Refund" ("shopId", "platform", "platformRefundId", "platformOrderId", "orderId", "refundedAt",
      "currency", "totalMinor", "status", "normalized", "sourceEventId")
    VALUES (${shopId}::uuid, ${refund.platform}::"Platform", ${refund.platformRefundId}, ${refund.platformOrderId},
      ${order?.id ?? null}::uuid, ${new Date(refund.refundedAt)}, ${refund.currency}, ${refund.totalMinor},
      ${order ? "recorded" : "parked"}::"RefundStatus", ${toJson(refund)}::jsonb, ${eventId}::uuid)
    ON CONFLICT ("shopId", "platform", "platformRefundId") DO NOTHING
    RETURNING "id"`;
  return { refundId: rows[0]?.id ?? null, parked: !order, duplicate: rows.length === 0 };
}

/** Attaches refunds that arrived before their order; called in the transaction that stores the order. */
export async function unparkRefunds(
  tx: Tx,
  shopId: string,
  orderId: string,
  platform: NormalizedRefund["platform"],
  platformOrderId: string,
): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "Refund" SET "status" = 'recorded', "orderId" = ${orderId}::uuid
    WHERE "shopId" = ${shopId}::uuid AND "platform" = ${platform}::"Platform" AND "platformOrderId" = ${platformOrderId}
      AND "status" = 'parked'
    RETURNING "id"`;
  return rows.map((row) => row.id);
}
