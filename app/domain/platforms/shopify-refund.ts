/**
 * Shopify refunds/create → NormalizedRefund, in the shop currency.
 *
 * Lines come from refund_line_items. Refunded shipping comes from refund_shipping_lines (API 2024-10+) or,
 * on older versions, from order_adjustments of kind shipping_refund (their amounts are negative). The
 * total is what successful refund transactions returned; without them, the sum of the refunded parts.
 * Whatever the transactions returned beyond the refunded parts (a refund with only an order adjustment, a
 * `refund_discrepancy`) is `unattributedMinor`: it names no line, and is reversed in proportion to the order.
 *
 * In a tax-inclusive shop a refund line's subtotal includes its tax; the refund does not say so, so the caller
 * passes the order's `taxes_included` (options.taxesIncluded) and the tax is taken out here.
 */
import type { CurrencyCode } from "../money";
import { parsedPayload, type NormalizeOptions } from "./adapter";
import { absMinor, sumMinor } from "./amounts";
import { Fields } from "./fields";
import type { NormalizedRefund, NormalizedRefundLine } from "./normalized";
import { optionalShopMoney, shopifyId, shopMoney, shopMoneyCurrency } from "./shopify-fields";
import { timestampOrDelivery } from "./timestamps";

export function normalizeShopifyRefund(body: unknown, options: NormalizeOptions = {}): NormalizedRefund {
  const refund = Fields.of(parsedPayload(body));
  const currency = refundCurrency(refund, options);
  const lines = refund.optionalObjects("refund_line_items").map((item) => refundLine(item, currency, options));
  const shipping = refundedShipping(refund, currency);
  const computedTotal = sumMinor(lines.map((line) => line.subtotalMinor + line.taxMinor)) + shipping.amount + shipping.tax;
  const returned = transactionsTotal(refund, currency);
  const unattributed = returned !== null && returned > computedTotal ? returned - computedTotal : 0n;

  return {
    kind: "refund",
    platform: "shopify",
    platformRefundId: shopifyId(refund),
    platformOrderId: refund.id("order_id"),
    refundedAt: timestampOrDelivery(refund, ["created_at", "processed_at"], options.deliveredAt),
    currency,
    lines,
    shippingMinor: shipping.amount,
    totalMinor: returned ?? computedTotal,
    ...(unattributed > 0n ? { unattributedMinor: unattributed } : {}),
    ...(options.taxesIncluded === undefined ? {} : { taxesIncluded: options.taxesIncluded }),
  };
}

function refundLine(item: Fields, currency: CurrencyCode, options: NormalizeOptions): NormalizedRefundLine {
  const tax = optionalShopMoney(item, "total_tax", currency);
  const subtotal = shopMoney(item, "subtotal", currency);
  // The refunded line item's global id is exact even when the numeric line_item_id was rounded upstream.
  const lineItem = item.optionalObject("line_item");
  return {
    platformLineId: lineItem?.has("admin_graphql_api_id") ? shopifyId(lineItem) : item.id("line_item_id"),
    quantity: item.quantity("quantity"),
    subtotalMinor: options.taxesIncluded ? subtotal - tax : subtotal,
    taxMinor: tax,
  };
}

function refundedShipping(refund: Fields, currency: CurrencyCode): { amount: bigint; tax: bigint } {
  const shippingLines = refund.optionalObjects("refund_shipping_lines");
  if (shippingLines.length > 0) {
    return {
      amount: sumMinor(shippingLines.map((line) => absMinor(shopMoney(line, "subtotal_amount", currency)))),
      tax: sumMinor(shippingLines.map((line) => absMinor(optionalShopMoney(line, "tax_amount", currency)))),
    };
  }
  const adjustments = refund.optionalObjects("order_adjustments").filter((adjustment) => adjustment.optionalString("kind") === "shipping_refund");
  return {
    amount: sumMinor(adjustments.map((adjustment) => absMinor(shopMoney(adjustment, "amount", currency)))),
    tax: sumMinor(adjustments.map((adjustment) => absMinor(optionalShopMoney(adjustment, "tax_amount", currency)))),
  };
}

/** Money actually sent back: successful refund transactions in the shop currency, or null if there are none. */
function transactionsTotal(refund: Fields, currency: CurrencyCode): bigint | null {
  const refunds = refund.optionalObjects("transactions").filter((t) => t.optionalString("kind") === "refund" && t.optionalString("status") === "success");
  // A transaction's plain `currency` may be the buyer's; the parts are then the only shop-currency figure.
  if (refunds.length === 0 || refunds.some((t) => (t.optionalString("currency") ?? currency).toUpperCase() !== currency)) {
    return null;
  }
  return sumMinor(refunds.map((transaction) => transaction.money("amount", currency)));
}

/** The refund payload has no top-level currency; its money bags state the shop's. */
function refundCurrency(refund: Fields, options: NormalizeOptions): CurrencyCode {
  const stated = [
    ...refund.optionalObjects("refund_line_items").map((item) => shopMoneyCurrency(item, "subtotal")),
    ...refund.optionalObjects("refund_shipping_lines").map((line) => shopMoneyCurrency(line, "subtotal_amount")),
    ...refund.optionalObjects("order_adjustments").map((adjustment) => shopMoneyCurrency(adjustment, "amount")),
    shopMoneyCurrency(refund, "total_duties"),
  ].find((code) => code !== null);
  return refund.currency("currency", stated ?? options.currency);
}
