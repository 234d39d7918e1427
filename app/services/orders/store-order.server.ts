import type { Prisma } from "~/generated/prisma/client";
import type { NormalizedOrder } from "~/domain/platforms/normalized";
import { bigintReplacer } from "~/domain/money";
import { lineNetMinor, orderTotals } from "~/domain/orders/order-totals";
import { lockOrderKey } from "./order-lock.server";

type Tx = Prisma.TransactionClient;

export interface StoredOrder {
  orderId: string;
  /** False when an older update arrived after a newer one and was left out. */
  applied: boolean;
  inserted: boolean;
}

export function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value, bigintReplacer)) as Prisma.InputJsonValue;
}

/**
 * Inserts the order, or updates it when this version is at least as new as the stored one. Platforms deliver
 * out of order (an orders/updated can land before orders/paid), so the platform's own `updated_at` decides,
 * inside one statement, and concurrent deliveries of the same order collapse onto the unique key.
 */
export async function storeOrder(
  tx: Tx,
  shopId: string,
  order: NormalizedOrder,
  source: { eventId: string; connectionId: string | null },
): Promise<StoredOrder> {
  await lockOrderKey(tx, shopId, order.platform, order.platformOrderId);
  const totals = orderTotals(order);
  const referral = order.referrals[0] ?? null;
  const rows = await tx.$queryRaw<{ id: string; inserted: boolean }[]>`
    INSERT INTO "Order" ("shopId", "connectionId", "platform", "platformOrderId", "orderNumber", "orderedAt",
      "platformUpdatedAt", "status", "currency", "customerPlatformId", "customerEmail", "referralCode",
      "referralSource", "discountCodes", "subtotalMinor", "discountMinor", "shippingMinor", "taxMinor",
      "totalMinor", "normalized", "sourceEventId", "updatedAt")
    VALUES (${shopId}::uuid, ${source.connectionId}::uuid, ${order.platform}::"Platform", ${order.platformOrderId},
      ${order.orderNumber}, ${new Date(order.orderedAt)}, ${new Date(order.updatedAt)}, ${order.status}::"OrderStatus",
      ${order.currency}, ${order.customer.platformCustomerId}, ${order.customer.email}, ${referral?.code ?? null},
      ${referral?.source ?? null}, ${order.discountCodes as string[]}, ${totals.subtotalMinor}, ${totals.discountMinor},
      ${order.shippingMinor}, ${order.taxMinor}, ${order.totalMinor}, ${toJson(order)}::jsonb, ${source.eventId}::uuid, now())
    ON CONFLICT ("shopId", "platform", "platformOrderId") DO UPDATE SET
      "orderNumber" = EXCLUDED."orderNumber", "platformUpdatedAt" = EXCLUDED."platformUpdatedAt",
      "status" = EXCLUDED."status", "customerPlatformId" = EXCLUDED."customerPlatformId",
      "customerEmail" = EXCLUDED."customerEmail", "referralCode" = EXCLUDED."referralCode",
      "referralSource" = EXCLUDED."referralSource", "discountCodes" = EXCLUDED."discountCodes",
      "subtotalMinor" = EXCLUDED."subtotalMinor", "discountMinor" = EXCLUDED."discountMinor",
      "shippingMinor" = EXCLUDED."shippingMinor", "taxMinor" = EXCLUDED."taxMinor", "totalMinor" = EXCLUDED."totalMinor",
      "normalized" = EXCLUDED."normalized", "sourceEventId" = EXCLUDED."sourceEventId", "updatedAt" = now()
    WHERE "Order"."platformUpdatedAt" <= EXCLUDED."platformUpdatedAt"
    RETURNING "id", (xmax = 0) AS "inserted"`;

  const row = rows[0];
  if (!row) {
    const existing = await tx.order.findUniqueOrThrow({
      where: { shopId_platform_platformOrderId: { shopId, platform: order.platform, platformOrderId: order.platformOrderId } },
      select: { id: true },
    });
    return { orderId: existing.id, applied: false, inserted: false };
  }

  await tx.orderLine.deleteMany({ where: { orderId: row.id, shopId } });
  await tx.orderLine.createMany({
    data: order.lines.map((line, position) => ({
      shopId,
      orderId: row.id,
      position,
      platformLineId: line.platformLineId,
      sku: line.sku,
      platformProductId: line.platformProductId,
      platformVariantId: line.platformVariantId,
      title: line.title,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      discountMinor: line.discountMinor,
      taxMinor: line.taxMinor,
      netMinor: lineNetMinor(line),
    })),
  });
  return { orderId: row.id, applied: true, inserted: row.inserted };
}
