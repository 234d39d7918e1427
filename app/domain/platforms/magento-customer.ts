/**
 * Magento customer (REST `GET /V1/customers/{id}` shape, or a customer save event) → NormalizedCustomer.
 * The sign-up referral is a customer attribute under the referral key, like the order's.
 */
import type { NormalizeOptions } from "./adapter";
import { attributeValues, MAGENTO_DEFAULT_REFERRAL_KEYS, magentoEntity } from "./magento-entity";
import type { NormalizedCustomer } from "./normalized";
import { timestampOrDelivery } from "./timestamps";
import { refuseForeignResource } from "./resource-shape";

export function normalizeMagentoCustomer(body: unknown, options: NormalizeOptions = {}): NormalizedCustomer {
  const customer = magentoEntity(body, "customer");
  refuseForeignResource(customer, "customer", ["items", "increment_id", "order_id"]);
  // The REST shape calls the id `id`; the model data in events calls it `entity_id`.
  const id = customer.optionalId("id") ?? customer.optionalId("entity_id") ?? customer.fail("id", "is required");
  return {
    kind: "customer",
    platform: "magento",
    platformCustomerId: id,
    email: customer.optionalString("email"),
    firstName: customer.optionalString("firstname"),
    lastName: customer.optionalString("lastname"),
    referralCode: attributeValues(customer, options.referralKeys ?? MAGENTO_DEFAULT_REFERRAL_KEYS)[0] ?? null,
    createdAt: timestampOrDelivery(customer, ["created_at"], options.deliveredAt),
  };
}
