/**
 * WooCommerce refunds. The order.updated webhook only lists refund totals (`refunds[]`); per-line detail
 * comes from `GET /wc/v3/orders/{id}/refunds`, whose line quantities and amounts are negative and point at
 * the order line through the `_refunded_item_id` meta. A refund object states neither its currency nor
 * (in the single-refund shape) its order, so the caller passes them from the order.
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
  const orderId =
    refund.optionalId("parent_id") ?? options.orderId ?? refund.fail("parent_id", "is required (or pass the order id)");

  return {
    kind: "refund",
    platform: "woocommerce",
    platformRefundId: refund.id("id"),
    platformOrderId: orderId,
    refundedAt: timestampOrDelivery(refund, ["date_created_gmt"], options.deliveredAt),
    currency,
    lines: refund.optionalObjects("line_items").map((line) => refundLine(line, currency)),
    shippingMinor: sumMinor(refund.optionalObjects("shipping_lines").map((line) => absMinor(line.money("total", currency)))),
    totalMinor: absMinor(refund.money("amount", currency)),
  };
}

function refundLine(line: Fields, currency: CurrencyCode): NormalizedRefundLine {
  const refundedItem = line
    .optionalObjects("meta_data")
    .find((meta) => meta.optionalString("key") === "_refunded_item_id");
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
