/**
 * Shopify order webhooks (orders/create, paid, updated, cancelled, fulfilled) → NormalizedOrder.
 * Amounts are in the shop currency (`currency`), never the buyer's presentment currency.
 */
import type { CurrencyCode } from "../money";
import { parsedPayload, type NormalizeOptions } from "./adapter";
import { sumMinor } from "./amounts";
import { Fields, isPresent } from "./fields";
import type { NormalizedLine, NormalizedOrder, OrderStatus } from "./normalized";
import { cleanReferralCodes, referenceList, valuesForKeys } from "./referrals";
import { optionalShopifyId, shopifyId, shopMoney } from "./shopify-fields";
import { normalizeShopifyRefund } from "./shopify-refund";
import { splitIncludedTax } from "./tax-inclusive";
import { optionalTimestamp, timestamp } from "./timestamps";

/** Cart attribute names the storefront embed (or another app) may have used for the `?ref=` code. */
export const SHOPIFY_DEFAULT_REFERRAL_KEYS: readonly string[] = ["upline_ref", "ref", "referral_code"];

export function normalizeShopifyOrder(body: unknown, options: NormalizeOptions = {}): NormalizedOrder {
  const order = Fields.of(parsedPayload(body));
  const currency = order.currency("currency");
  const taxesIncluded = order.optionalBoolean("taxes_included") ?? false;
  const orderedAt = timestamp(order, "created_at");
  const discountCodes = order
    .optionalObjects("discount_codes")
    .map((discount) => discount.optionalString("code"))
    .filter(isPresent);
  const customer = order.optionalObject("customer");
  const updatedAt = optionalTimestamp(order, "updated_at") ?? orderedAt;
  const refunds = order.optionalObjects("refunds").map((refund) => normalizeShopifyRefund(refund.value, { currency, taxesIncluded, deliveredAt: updatedAt }));

  return {
    kind: "order",
    platform: "shopify",
    platformOrderId: shopifyId(order),
    orderNumber: order.optionalString("name") ?? order.optionalString("order_number"),
    orderedAt,
    updatedAt,
    status: orderStatus(order),
    currency,
    customer: {
      platformCustomerId: customer ? optionalShopifyId(customer) : null,
      email: order.optionalString("email") ?? order.optionalString("contact_email") ?? customer?.optionalString("email") ?? null,
    },
    referrals: referenceList([
      ["cart_attribute", cartAttributeCodes(order, options.referralKeys ?? SHOPIFY_DEFAULT_REFERRAL_KEYS)],
      ["discount_code", cleanReferralCodes(discountCodes)],
    ]),
    discountCodes,
    lines: order.objects("line_items").map((line) => orderLine(line, currency, taxesIncluded)),
    shippingMinor: sumMinor(order.optionalObjects("shipping_lines").map((line) => shipping(line, currency, taxesIncluded))),
    taxMinor: shopMoney(order, "total_tax", currency),
    totalMinor: shopMoney(order, "total_price", currency),
    ...(taxesIncluded ? { taxesIncluded } : {}),
    ...(refunds.length > 0 ? { refunds } : {}),
  };
}

function orderLine(line: Fields, currency: CurrencyCode, taxesIncluded: boolean): NormalizedLine {
  const quantity = line.quantity("quantity");
  const unitPrice = shopMoney(line, "price", currency);
  // Allocations already include this line's share of order-level discounts; total_discount does not.
  const discount = sumMinor(line.optionalObjects("discount_allocations").map((a) => shopMoney(a, "amount", currency)));
  const taxLines = line.optionalObjects("tax_lines");
  const tax = sumMinor(taxLines.map((taxLine) => shopMoney(taxLine, "price", currency)));
  const price = taxesIncluded
    ? splitIncludedTax({
        quantity,
        unitPriceGross: unitPrice,
        discountGross: discount,
        taxMinor: tax,
        taxRates: rates(taxLines),
      })
    : { unitPriceMinor: unitPrice, discountMinor: discount };
  return {
    platformLineId: shopifyId(line),
    sku: line.optionalString("sku"),
    platformProductId: line.optionalId("product_id"),
    platformVariantId: line.optionalId("variant_id"),
    title: line.optionalString("name") ?? line.optionalString("title") ?? "",
    quantity,
    ...price,
    taxMinor: tax,
  };
}

/** Shipping charged after shipping discounts, without tax. */
function shipping(line: Fields, currency: CurrencyCode, taxesIncluded: boolean): bigint {
  const price = shopMoney(line, "price", currency);
  const discount = sumMinor(line.optionalObjects("discount_allocations").map((a) => shopMoney(a, "amount", currency)));
  const includedTax = taxesIncluded ? sumMinor(line.optionalObjects("tax_lines").map((taxLine) => shopMoney(taxLine, "price", currency))) : 0n;
  return price - discount - includedTax;
}

function orderStatus(order: Fields): OrderStatus {
  if (order.has("cancelled_at")) return "cancelled";
  switch (order.optionalString("financial_status")) {
    case "paid":
      return "paid";
    case "partially_refunded":
      return "partially_refunded";
    case "refunded":
      return "refunded";
    case "voided":
      return "cancelled";
    default:
      // pending, authorized (not captured), partially_paid, expired: no commission yet.
      return "pending";
  }
}

function cartAttributeCodes(order: Fields, keys: readonly string[]): string[] {
  const attributes = order
    .optionalObjects("note_attributes")
    .map((attribute) => ({ key: attribute.optionalString("name") ?? "", value: attribute.raw("value") }));
  return valuesForKeys(attributes, keys);
}

function rates(taxLines: readonly Fields[]): (string | number)[] {
  return taxLines.map((taxLine) => taxLine.raw("rate")).filter((rate): rate is string | number => typeof rate === "string" || typeof rate === "number");
}
