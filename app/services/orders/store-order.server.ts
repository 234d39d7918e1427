import type { Tx } from "~/db/tx.server";
import { Prisma } from "~/generated/prisma/client";
import type { NormalizedLine, NormalizedOrder } from "~/domain/platforms/normalized";
import { bigintReplacer } from "~/domain/money";
import { lineNetMinor, orderTotals } from "~/domain/orders/order-totals";
import { lockOrderKey } from "./order-lock.server";

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
export async function storeOrder(tx: Tx, shopId: string, order: NormalizedOrder, source: OrderSource): Promise<StoredOrder> {
  await lockOrderKey(tx, shopId, order.platform, order.platformOrderId);
  const rows = await tx.$queryRaw<{ id: string; inserted: boolean }[]>(orderUpsertSql(shopId, order, source));

  const row = rows[0];
  if (!row) {
    const existing = await tx.order.findUniqueOrThrow({
      where: { shopId_platform_platformOrderId: { shopId, platform: order.platform, platformOrderId: order.platformOrderId } },
      select: { id: true },
    });
    return { orderId: existing.id, applied: false, inserted: false };
  }

  // A first insert has no lines to replace.
  if (!row.inserted) await tx.orderLine.deleteMany({ where: { orderId: row.id, shopId } });
  await tx.$executeRaw(orderLinesInsertSql(shopId, Prisma.sql`SELECT ${row.id}::uuid AS "id"`, order.lines));
  return { orderId: row.id, applied: true, inserted: row.inserted };
}

export interface OrderSource {
  eventId: string;
  connectionId: string | null;
}

/**
 * The upsert as one statement returning the row's `id` and whether it was `inserted`; no row when a newer
 * version is stored already. Usable alone or as a CTE.
 */
export function orderUpsertSql(shopId: string, order: NormalizedOrder, source: OrderSource): Prisma.Sql {
  const totals = orderTotals(order);
  const referral = order.referrals[0] ?? null;
  return Prisma.sql`
    INSERT INTO "Order" ("shopId", "connectionId", "platform", "platformOrderId", "orderNumber", "orderedAt",
      "platformUpdatedAt", "status", "currency", "customerPlatformId", "customerEmail", "referralCode",
      "referralSource", "discountCodes", "subtotalMinor", "discountMinor", "shippingMinor", "taxMinor",
      "totalMinor", "normalized", "sourceEventId", "updatedAt")
    VALUES (${shopId}::uuid, ${source.connectionId}::uuid, ${order.platform}::"Platform", ${order.platformOrderId},
      ${order.orderNumber}, ${new Date(order.orderedAt)}, ${new Date(order.updatedAt)}, ${order.status}::"OrderStatus",
      ${order.currency}, ${order.customer.platformCustomerId}, ${order.customer.email}, ${referral?.code ?? null},
      ${referral?.source ?? null}, ${order.discountCodes as string[]}, ${totals.subtotalMinor}, ${totals.discountMinor},
      ${order.shippingMinor}, ${order.taxMinor}, ${order.totalMinor}, ${JSON.stringify(order, bigintReplacer)}::jsonb,
      ${source.eventId}::uuid, now())
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
}

/**
 * Inserts the order's lines, in position order, for the order whose id the query `order` (one row, column
 * "id") yields: a literal id, or the upsert's CTE. Column arrays, unnested: one statement for any number of lines.
 */
export function orderLinesInsertSql(shopId: string, order: Prisma.Sql, lines: readonly NormalizedLine[]): Prisma.Sql {
  const column = <T>(pick: (line: NormalizedLine) => T) => lines.map(pick);
  const text = (value: bigint) => value.toString();
  return Prisma.sql`
    INSERT INTO "OrderLine" ("shopId", "orderId", "position", "platformLineId", "sku", "platformProductId", "platformVariantId",
      "title", "quantity", "unitPriceMinor", "discountMinor", "taxMinor", "netMinor")
    SELECT ${shopId}::uuid, o."id", l.ord - 1, l.line_id, l.sku, l.product_id, l.variant_id, l.title, l.quantity,
      l.unit_price::bigint, l.discount::bigint, l.tax::bigint, l.net::bigint
    FROM (${order}) o,
      unnest(${column((line) => line.platformLineId)}::text[], ${column((line) => line.sku)}::text[],
        ${column((line) => line.platformProductId)}::text[], ${column((line) => line.platformVariantId)}::text[],
        ${column((line) => line.title)}::text[], ${column((line) => line.quantity)}::int[],
        ${column((line) => text(line.unitPriceMinor))}::text[], ${column((line) => text(line.discountMinor))}::text[],
        ${column((line) => text(line.taxMinor))}::text[], ${column((line) => text(lineNetMinor(line)))}::text[])
        WITH ORDINALITY AS l(line_id, sku, product_id, variant_id, title, quantity, unit_price, discount, tax, net, ord)`;
}
