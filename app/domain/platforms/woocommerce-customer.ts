/**
 * WooCommerce customer.created / customer.updated (REST v3 customer) → NormalizedCustomer. A sign-up referral
 * is read from the customer's meta_data under the same keys as orders.
 */
import { parsedPayload, type NormalizeOptions } from "./adapter";
import { Fields } from "./fields";
import type { NormalizedCustomer } from "./normalized";
import { metaValues, WOOCOMMERCE_DEFAULT_REFERRAL_KEYS } from "./woocommerce-order";
import { timestampOrDelivery } from "./timestamps";
import { refuseForeignResource } from "./resource-shape";

export function normalizeWooCommerceCustomer(body: unknown, options: NormalizeOptions = {}): NormalizedCustomer {
  const customer = Fields.of(parsedPayload(body));
  refuseForeignResource(customer, "customer", ["line_items", "order_key", "refunded_by", "parent_id"]);
  return {
    kind: "customer",
    platform: "woocommerce",
    platformCustomerId: customer.id("id"),
    email: customer.optionalString("email"),
    firstName: customer.optionalString("first_name"),
    lastName: customer.optionalString("last_name"),
    referralCode: metaValues(customer, options.referralKeys ?? WOOCOMMERCE_DEFAULT_REFERRAL_KEYS)[0] ?? null,
    createdAt: timestampOrDelivery(customer, ["date_created_gmt"], options.deliveredAt),
  };
}
