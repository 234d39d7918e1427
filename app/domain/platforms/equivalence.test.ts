/**
 * Acceptance: "WooCommerce and Magento order fixtures … produce normalized orders equal in meaning to the
 * Shopify one for the same basket". One basket is written in each platform's shape (derived from that
 * platform's published sample) and every adapter must produce the same order, platform ids aside.
 */
import { describe, expect, it } from "vitest";
import { magentoAdapter } from "./magento";
import type { NormalizedEvent, NormalizedOrder } from "./normalized";
import { shopifyAdapter } from "./shopify";
import { magentoIoEventFor, magentoOrderFor, shopifyOrderFor, SPRING_BASKET, wooCommerceOrderFor } from "~test/support/platforms/baskets";
import { wooCommerceAdapter } from "./woocommerce";

/** What an order means to attribution and the engine, without the platform's own ids and labels. */
function meaning(event: NormalizedEvent | null) {
  if (event?.kind !== "order") throw new Error(`expected an order, got ${event?.kind ?? "null"}`);
  const order: NormalizedOrder = event;
  return {
    status: order.status,
    orderedAt: order.orderedAt,
    currency: order.currency,
    lines: order.lines.map(({ sku, quantity, unitPriceMinor, discountMinor, taxMinor }) => ({
      sku,
      quantity,
      unitPriceMinor,
      discountMinor,
      taxMinor,
    })),
    shippingMinor: order.shippingMinor,
    taxMinor: order.taxMinor,
    totalMinor: order.totalMinor,
    referralCodes: order.referrals.map((reference) => reference.code),
    discountCodes: order.discountCodes,
  };
}

// Each payload goes through the delivery path: serialized, then normalized from its raw text.
const raw = (payload: unknown) => JSON.stringify(payload);

const normalizedBy = {
  Shopify: () => shopifyAdapter.normalize("orders/paid", raw(shopifyOrderFor(SPRING_BASKET))),
  "Shopify, taxes included": () => shopifyAdapter.normalize("orders/paid", raw(shopifyOrderFor(SPRING_BASKET, { taxesIncluded: true }))),
  WooCommerce: () => wooCommerceAdapter.normalize("order.updated", raw(wooCommerceOrderFor(SPRING_BASKET))),
  "Magento (REST / our module)": () => magentoAdapter.normalize("sales_order_save_after", raw(magentoOrderFor(SPRING_BASKET))),
  "Magento (Adobe I/O event)": () => magentoAdapter.normalize("com.adobe.commerce.observer.sales_order_save_after", raw(magentoIoEventFor(SPRING_BASKET))),
};

describe("the same basket on every platform", () => {
  it.each(Object.entries(normalizedBy))("%s gives the basket's order", (_platform, normalizeIt) => {
    expect(meaning(normalizeIt())).toEqual({
      status: "paid",
      orderedAt: "2026-03-01T10:00:00.000Z",
      currency: "USD",
      lines: [
        { sku: "UPL-SHAKE-VAN", quantity: 2, unitPriceMinor: 2500n, discountMinor: 500n, taxMinor: 360n },
        { sku: "UPL-HOODIE-S", quantity: 1, unitPriceMinor: 3000n, discountMinor: 300n, taxMinor: 216n },
      ],
      shippingMinor: 750n,
      taxMinor: 576n,
      totalMinor: 8526n,
      referralCodes: ["JANE01", "SPRING8"],
      discountCodes: ["SPRING8"],
    });
  });

  it("is one meaning across all of them", () => {
    const meanings = Object.values(normalizedBy).map((normalizeIt) => meaning(normalizeIt()));
    for (const other of meanings.slice(1)) expect(other).toEqual(meanings[0]);
  });

  it("puts the platform's referral field first and the coupon second, on every platform", () => {
    const sources = Object.values(normalizedBy).map((normalizeIt) => {
      const order = normalizeIt() as NormalizedOrder;
      return order.referrals.map((reference) => reference.source);
    });
    expect(sources).toEqual([
      ["cart_attribute", "discount_code"],
      ["cart_attribute", "discount_code"],
      ["meta_data", "discount_code"],
      ["extension_attribute", "discount_code"],
      ["extension_attribute", "discount_code"],
    ]);
  });

  it("still tells the orders apart by platform and platform id", () => {
    const identities = Object.values(normalizedBy).map((normalizeIt) => {
      const order = normalizeIt() as NormalizedOrder;
      return `${order.platform}:${order.platformOrderId}`;
    });
    expect(identities).toEqual(["shopify:820982911946154508", "shopify:820982911946154508", "woocommerce:727", "magento:3", "magento:3"]);
  });
});
