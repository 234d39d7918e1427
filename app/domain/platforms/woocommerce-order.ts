/**
 * WooCommerce order (REST v3 shape, which is also the order.created / order.updated webhook body)
 * → NormalizedOrder, in the order's `currency`.
 *
 * Line totals are always stored without tax, whatever `prices_include_tax` says: `subtotal` is before
 * discounts, `total` after. Woo has no unit price before discounts (`price` is total / quantity), so the unit
 * price is subtotal / quantity rounded once, and the discount is what makes quantity × unit − discount equal
 * `total` exactly: the commission base never carries a rounding error.
 */
import { divideRoundHalfEven, type CurrencyCode } from "../money";
import { parsedPayload, type NormalizeOptions } from "./adapter";
import { Fields, isPresent } from "./fields";
import type { NormalizedLine, NormalizedOrder, OrderStatus } from "./normalized";
import { cleanReferralCodes, referenceList, valuesForKeys } from "./referrals";
import { optionalTimestamp, timestamp } from "./timestamps";

/** Our own order meta keys; a store running an affiliate plugin adds that plugin's key (see below). */
export const WOOCOMMERCE_DEFAULT_REFERRAL_KEYS: readonly string[] = ["_upline_ref", "upline_ref"];

/**
 * Order meta keys where known affiliate plugins keep a referral, for stores migrating from one. Only YITH
 * WooCommerce Affiliates stores the token on the order; AffiliateWP and Affiliate for WooCommerce keep
 * referrals in their own tables, so for them the coupon code is the reference we can see.
 */
export const WOOCOMMERCE_PLUGIN_REFERRAL_KEYS = {
  yithWooCommerceAffiliates: "_yith_wcaf_referral",
} as const;

export const WOOCOMMERCE_DEFAULT_PAID_STATUSES: readonly string[] = ["processing", "completed"];

export function normalizeWooCommerceOrder(body: unknown, options: NormalizeOptions = {}): NormalizedOrder {
  const order = Fields.of(parsedPayload(body));
  const currency = order.currency("currency");
  const orderedAt = timestamp(order, "date_created_gmt");
  const couponCodes = order
    .optionalObjects("coupon_lines")
    .map((coupon) => coupon.optionalString("code"))
    .filter(isPresent);
  const customerId = order.optionalId("customer_id");

  return {
    kind: "order",
    platform: "woocommerce",
    platformOrderId: order.id("id"),
    orderNumber: order.optionalString("number"),
    orderedAt,
    updatedAt: optionalTimestamp(order, "date_modified_gmt") ?? orderedAt,
    status: orderStatus(order, options.paidStatuses ?? WOOCOMMERCE_DEFAULT_PAID_STATUSES),
    currency,
    customer: {
      // customer_id 0 is a guest checkout.
      platformCustomerId: customerId === "0" ? null : customerId,
      email: order.optionalObject("billing")?.optionalString("email") ?? null,
    },
    referrals: referenceList([
      ["meta_data", metaValues(order, options.referralKeys ?? WOOCOMMERCE_DEFAULT_REFERRAL_KEYS)],
      ["discount_code", cleanReferralCodes(couponCodes)],
    ]),
    discountCodes: couponCodes,
    lines: order.objects("line_items").map((line) => orderLine(line, currency)),
    shippingMinor: order.optionalMoney("shipping_total", currency),
    taxMinor: order.optionalMoney("total_tax", currency),
    totalMinor: order.money("total", currency),
  };
}

function orderLine(line: Fields, currency: CurrencyCode): NormalizedLine {
  const quantity = line.quantity("quantity");
  const subtotal = line.money("subtotal", currency);
  const total = line.money("total", currency);
  const unitPriceMinor = quantity === 0 ? 0n : divideRoundHalfEven(subtotal, BigInt(quantity));
  const productId = line.optionalId("product_id");
  const variationId = line.optionalId("variation_id");
  return {
    platformLineId: line.id("id"),
    sku: line.optionalString("sku"),
    // 0 means "none" (no variation) or "deleted" (product gone).
    platformProductId: productId === "0" ? null : productId,
    platformVariantId: variationId === "0" ? null : variationId,
    title: line.optionalString("name") ?? "",
    quantity,
    unitPriceMinor,
    discountMinor: BigInt(quantity) * unitPriceMinor - total,
    taxMinor: line.optionalMoney("total_tax", currency),
  };
}

function orderStatus(order: Fields, paidStatuses: readonly string[]): OrderStatus {
  const status = order.string("status");
  if (status === "cancelled" || status === "trash") return "cancelled";
  if (status === "refunded") return "refunded";
  if (!paidStatuses.includes(status)) return "pending"; // pending, on-hold, failed, checkout-draft
  // A partial refund leaves the status alone; the refunds[] summaries show it happened.
  return order.optionalObjects("refunds").length > 0 ? "partially_refunded" : "paid";
}

/** Order (or customer) meta values under the referral keys, in key priority order. */
export function metaValues(resource: Fields, keys: readonly string[]): string[] {
  const entries = resource.optionalObjects("meta_data").map((meta) => ({ key: meta.optionalString("key") ?? "", value: meta.raw("value") }));
  return valuesForKeys(entries, keys);
}
