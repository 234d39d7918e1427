import type { Tx } from "~/db/tx.server";
import type { NormalizedOrder, NormalizedRefund } from "~/domain/platforms/normalized";
import { wooCommerceRefundsFromOrder } from "~/domain/platforms/woocommerce-refund";
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

/**
 * What a refund payload does not say about its order: whether its prices included tax (Shopify
 * `taxes_included`, stored with the order's normalized version). Null while the order is unknown: the refund
 * is then parked, and the reversal takes the tax out when the order arrives (reversals.server.ts).
 */
export async function refundOrderFacts(
  db: Pick<Tx, "$queryRaw">,
  shopId: string,
  refund: Pick<NormalizedRefund, "platform" | "platformOrderId">,
): Promise<{ taxesIncluded: boolean } | null> {
  const rows = await db.$queryRaw<{ included: boolean | null }[]>`
    SELECT ("normalized"->>'taxesIncluded')::boolean AS included FROM "Order"
    WHERE "shopId" = ${shopId}::uuid AND "platform" = ${refund.platform}::"Platform" AND "platformOrderId" = ${refund.platformOrderId}`;
  return rows[0] ? { taxesIncluded: rows[0].included === true } : null;
}

interface OrderEvent {
  readonly shopId: string;
  readonly platform: string;
  readonly connectionId: string | null;
  readonly rawBody: string;
}

/**
 * Refunds an order payload carries itself: Shopify `refunds[]` (full refunds, normalized with the order), and
 * WooCommerce `refunds[]` totals when the store gave no REST credentials (with them, the backfill fetches each
 * refund with its lines under the same refund id).
 */
export async function refundsInOrderPayload(db: Pick<Tx, "connection">, event: OrderEvent, order: NormalizedOrder): Promise<readonly NormalizedRefund[]> {
  if (order.refunds) return order.refunds;
  if (event.platform !== "woocommerce") return [];
  const refunds = wooCommerceRefundsFromOrder(event.rawBody, order.updatedAt);
  if (refunds.length === 0) return [];
  const connection = event.connectionId
    ? await db.connection.findFirst({
        where: { id: event.connectionId, shopId: event.shopId },
        select: { baseUrl: true, restConsumerKey: true, restConsumerSecret: true },
      })
    : null;
  const fetchesLines = Boolean(connection?.baseUrl && connection.restConsumerKey && connection.restConsumerSecret);
  return fetchesLines ? [] : refunds;
}

/** Records each refund an order payload carries (after the order is stored) and reverses it: as refunds/create would. */
export async function recordPayloadRefunds(
  tx: Tx,
  shopId: string,
  refunds: readonly NormalizedRefund[],
  eventId: string,
  afterRecorded: (refundId: string) => Promise<void>,
): Promise<number> {
  let recorded = 0;
  for (const refund of refunds) {
    const stored = await storeRefund(tx, shopId, refund, eventId);
    if (!stored.refundId || stored.parked) continue;
    recorded++;
    await afterRecorded(stored.refundId);
  }
  return recorded;
}
