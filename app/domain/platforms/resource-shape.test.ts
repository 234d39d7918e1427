/** An order or refund body under a customer topic (a replay with a swapped topic header) enrolls nobody. */
import { describe, expect, it } from "vitest";
import { fixtureJson, fixtureJsonList, fixtureText } from "~test/support/platforms/fixtures";
import { NormalizationError } from "./normalized";
import { normalizeShopifyCustomer } from "./shopify-customer";
import { normalizeWooCommerceCustomer } from "./woocommerce-customer";
import { normalizeMagentoCustomer } from "./magento-customer";

const refused = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof NormalizationError) return error.field;
    throw error;
  }
  return null;
};

describe("customer normalizers refuse order and refund bodies", () => {
  it("Shopify", () => {
    expect(refused(() => normalizeShopifyCustomer(fixtureText("shopify", "orders_create.sample.trigger-dev.json")))).toBe("line_items");
    expect(refused(() => normalizeShopifyCustomer(fixtureText("shopify", "refunds_create.sample.trigger-dev.json")))).toBe("refund_line_items");
    expect(normalizeShopifyCustomer(fixtureText("shopify", "customers_create.sample.trigger-dev.json")).kind).toBe("customer");
  });

  it("WooCommerce", () => {
    expect(refused(() => normalizeWooCommerceCustomer(fixtureJson("woocommerce", "order-727.wc-v3.docs.json")))).toBe("line_items");
    expect(refused(() => normalizeWooCommerceCustomer(fixtureJson("woocommerce", "refund-726.wc-v3.docs.json")))).not.toBeNull();
    expect(refused(() => normalizeWooCommerceCustomer(fixtureJsonList("woocommerce", "refunds-list-with-line-items.wc-v3.docs.json")[0]))).not.toBeNull();
    expect(
      normalizeWooCommerceCustomer({ id: 25, email: "a@example.com", date_created_gmt: "2026-01-01T00:00:00", role: "customer", meta_data: [] }).kind,
    ).toBe("customer");
  });

  it("Magento", () => {
    const order = fixtureJson("magento", "order-3.rest-v1.get-orders-id.docs.json");
    expect(refused(() => normalizeMagentoCustomer(order))).not.toBeNull();
    expect(refused(() => normalizeMagentoCustomer({ event: "customer_save_after", data: { value: order } }))).not.toBeNull();
    expect(refused(() => normalizeMagentoCustomer(fixtureJson("magento", "creditmemo-1.rest-v1.get-creditmemo-id.kb-docs.json")))).not.toBeNull();
    expect(normalizeMagentoCustomer({ id: 3, email: "jdoe@example.com", created_at: "2026-01-01 00:00:00" }).kind).toBe("customer");
  });
});
