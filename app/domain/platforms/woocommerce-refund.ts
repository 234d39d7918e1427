/**
 * WooCommerce refunds. The order.updated webhook only lists refund totals (`refunds[]`); per-line detail
 * comes from `GET /wc/v3/orders/{id}/refunds`, whose line quantities and amounts are negative and point at
 * the order line through the `_refunded_item_id` meta. A refund object states neither its currency nor
 * (in the single-refund shape) its order, so the caller passes them from the order.
 *
 * Whatever the refund's amount holds beyond its lines and shipping (with their tax), e.g. a refund of an
 * amount with no lines, is `unattributedMinor`: reversed in proportion to the order (engine/reversal.ts).
 */
import type { CurrencyCode } from "../money";
import { parsedPayload, type NormalizeOptions } from "./adapter";
import { absMinor, sumMinor } from "./amounts";
import { Fields } from "./fields";
import type { NormalizedRefund, NormalizedRefundLine } from "./normalized";
import { timestampOrDelivery } from "./timestamps";

export function normalizeWooCommerceRefund(body: unknown, options: NormalizeOptions = {}): NormalizedRefund {
  const refund = Fields.of(parsedPayload(body));
  const currency = refund.currency("currency", options.currency);
  const orderId = refund.optionalId("parent_id") ?? options.orderId ?? refund.fail("parent_id", "is required (or pass the order id)");

  const lines = refund.optionalObjects("line_items").map((line) => refundLine(line, currency));
  const shippingLines = refund.optionalObjects("shipping_lines");
  const shippingMinor = sumMinor(shippingLines.map((line) => absMinor(line.money("total", currency))));
  const shippingTaxMinor = sumMinor(shippingLines.map((line) => absMinor(line.optionalMoney("total_tax", currency))));
  const totalMinor = absMinor(refund.money("amount", currency));
  const unattributed = totalMinor - sumMinor(lines.map((line) => line.subtotalMinor + line.taxMinor)) - shippingMinor - shippingTaxMinor;

  return {
    kind: "refund",
    platform: "woocommerce",
    platformRefundId: refund.id("id"),
    platformOrderId: orderId,
    refundedAt: timestampOrDelivery(refund, ["date_created_gmt"], options.deliveredAt),
    currency,
    lines,
    shippingMinor,
    totalMinor,
    ...(unattributed > 0n ? { unattributedMinor: unattributed } : {}),
  };
}

function refundLine(line: Fields, currency: CurrencyCode): NormalizedRefundLine {
  const refundedItem = line.optionalObjects("meta_data").find((meta) => meta.optionalString("key") === "_refunded_item_id");
  if (refundedItem === undefined) line.fail("meta_data._refunded_item_id", "is required");
  return {
    platformLineId: refundedItem.id("value"),
    quantity: Math.abs(line.signedQuantity("quantity")),
    // `total` is after discounts and without tax, like the order line's.
    subtotalMinor: absMinor(line.money("total", currency)),
    taxMinor: absMinor(line.optionalMoney("total_tax", currency)),
  };
}

export interface WooCommerceRefundSummary {
  readonly platformRefundId: string;
  readonly reason: string | null;
  readonly amountMinor: bigint;
}

export interface WooCommerceRefundSummaries {
  readonly platformOrderId: string;
  readonly currency: CurrencyCode;
  readonly refunds: readonly WooCommerceRefundSummary[];
}

/**
 * The refunds an order.updated body lists (`refunds[]`, totals as negative strings), so the worker can tell
 * which refund ids are new and fetch their lines.
 */
export function extractWooCommerceRefundSummaries(body: unknown): WooCommerceRefundSummaries {
  const order = Fields.of(parsedPayload(body));
  const currency = order.currency("currency");
  return {
    platformOrderId: order.id("id"),
    currency,
    refunds: order.optionalObjects("refunds").map((refund) => ({
      platformRefundId: refund.id("id"),
      // Older REST versions call the reason `refund`.
      reason: refund.optionalString("reason") ?? refund.optionalString("refund"),
      amountMinor: absMinor(refund.money("total", currency)),
    })),
  };
}

/**
 * The refunds an order.updated body lists, as refunds of an amount with no lines: what a store without REST
 * credentials (no per-line refunds to fetch) can know of them. `refundedAt` is the order's last change, the
 * only time the body gives. They keep their WooCommerce refund ids, so the same refund fetched later with its
 * lines (backfill `refund.created`) is a no-op, and the other way round.
 */
export function wooCommerceRefundsFromOrder(body: unknown, refundedAt: string): NormalizedRefund[] {
  const summaries = extractWooCommerceRefundSummaries(body);
  return summaries.refunds.map((refund) => ({
    kind: "refund",
    platform: "woocommerce",
    platformRefundId: refund.platformRefundId,
    platformOrderId: summaries.platformOrderId,
    refundedAt,
    currency: summaries.currency,
    lines: [],
    shippingMinor: 0n,
    totalMinor: refund.amountMinor,
    ...(refund.amountMinor > 0n ? { unattributedMinor: refund.amountMinor } : {}),
  }));
}
