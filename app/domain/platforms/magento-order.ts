/**
 * Magento order (REST `GET /V1/orders/{id}` shape; also `sales_order_save_after` events) → NormalizedOrder.
 *
 * Amounts use the order currency (`order_currency_code` and the non-`base_` fields), which is what the buyer
 * paid. Only top-level items count: configurable and bundle children repeat their parent's amount.
 */
import type { CurrencyCode } from "../money";
import type { NormalizeOptions } from "./adapter";
import { absMinor } from "./amounts";
import type { Fields } from "./fields";
import { attributeValues, isChildItem, MAGENTO_DEFAULT_REFERRAL_KEYS, magentoEntity } from "./magento-entity";
import type { NormalizedLine, NormalizedOrder, OrderStatus } from "./normalized";
import { cleanReferralCodes, referenceList } from "./referrals";
import { optionalTimestamp, timestamp } from "./timestamps";

export function normalizeMagentoOrder(body: unknown, options: NormalizeOptions = {}): NormalizedOrder {
  const order = magentoEntity(body, "order");
  const currency = order.currency("order_currency_code");
  const items = order.objects("items");
  const children = items.filter(isChildItem);
  const orderedAt = timestamp(order, "created_at");
  const couponCode = order.optionalString("coupon_code");
  const isGuest = order.optionalBoolean("customer_is_guest") ?? false;

  return {
    kind: "order",
    platform: "magento",
    platformOrderId: orderId(order, items),
    orderNumber: order.optionalString("increment_id"),
    orderedAt,
    updatedAt: optionalTimestamp(order, "updated_at") ?? orderedAt,
    status: orderStatus(order, currency),
    currency,
    customer: {
      platformCustomerId: isGuest ? null : order.optionalId("customer_id"),
      email: order.optionalString("customer_email"),
    },
    referrals: referenceList([
      ["extension_attribute", attributeValues(order, options.referralKeys ?? MAGENTO_DEFAULT_REFERRAL_KEYS)],
      ["discount_code", cleanReferralCodes([couponCode])],
    ]),
    discountCodes: couponCode === null ? [] : [couponCode],
    lines: items.filter((item) => !isChildItem(item)).map((item) => orderLine(item, children, currency)),
    // The shipping discount is part of the order's discount_amount, not of any item's.
    shippingMinor: order.optionalMoney("shipping_amount", currency) - absMinor(order.optionalMoney("shipping_discount_amount", currency)),
    taxMinor: order.optionalMoney("tax_amount", currency),
    totalMinor: order.money("grand_total", currency),
  };
}

function orderLine(item: Fields, children: readonly Fields[], currency: CurrencyCode): NormalizedLine {
  const itemId = item.id("item_id");
  // A configurable parent is sold as the variant its (zero-priced) child names.
  const variant = item.optionalString("product_type") === "configurable" ? children.find((child) => child.optionalId("parent_item_id") === itemId) : undefined;
  return {
    platformLineId: itemId,
    sku: item.optionalString("sku"),
    platformProductId: item.optionalId("product_id"),
    platformVariantId: variant?.optionalId("product_id") ?? null,
    title: item.optionalString("name") ?? "",
    quantity: item.quantity("qty_ordered"),
    unitPriceMinor: item.money("price", currency),
    discountMinor: discountWithoutTax(item, currency),
    taxMinor: item.optionalMoney("tax_amount", currency),
  };
}

/**
 * When a store applies discounts to tax-inclusive prices, the item's discount_amount includes tax and
 * Magento books that tax part as discount_tax_compensation_amount; without it the discount is tax-free.
 */
export function discountWithoutTax(item: Fields, currency: CurrencyCode): bigint {
  return absMinor(item.optionalMoney("discount_amount", currency)) - absMinor(item.optionalMoney("discount_tax_compensation_amount", currency));
}

/** `state` is fixed by Magento; `status` is a merchant-configurable label, used only if state is missing. */
function orderStatus(order: Fields, currency: CurrencyCode): OrderStatus {
  switch (order.optionalString("state") ?? order.optionalString("status")) {
    case "processing":
    case "complete":
      return order.optionalMoney("total_refunded", currency) > 0n ? "partially_refunded" : "paid";
    case "closed":
      return "refunded";
    case "canceled":
      return "cancelled";
    default:
      // new, pending_payment, payment_review, holded, fraud
      return "pending";
  }
}

/** The Adobe I/O order payload does not list entity_id; its items still name their order. */
function orderId(order: Fields, items: readonly Fields[]): string {
  return order.optionalId("entity_id") ?? items[0]?.optionalId("order_id") ?? order.fail("entity_id", "is required");
}
