import { describe, expect, it } from "vitest";
import { toEngineOrder } from "./engine-order";
import { evaluationFromJson, evaluationToJson } from "./snapshot";
import { evaluate } from "./evaluate";
import { EXCLUDE_SHIPPING_AND_TAX, chain, order, orderLine, percentRates, standardCatalog, unilevelPlan } from "~test/support/engine";

const normalized = {
  orderId: "order-7",
  platform: "shopify" as const,
  platformOrderId: "5007",
  orderedAt: new Date("2026-03-01T10:00:00Z"),
  currency: "USD",
  shippingMinor: 895n,
  taxMinor: 720n,
  customer: { platformCustomerId: "c-1", email: "buyer@example.com" },
  lines: [
    {
      platformLineId: "l1",
      sku: "SERUM-30",
      platformVariantId: null,
      quantity: 2,
      unitPriceMinor: 4_999n,
      discountMinor: 1_000n,
      taxMinor: 720n,
      title: "Serum",
    },
  ],
};
const storedRow = {
  ...normalized,
  shippingMinor: 895n,
  lines: [{ platformLineId: "l1", sku: "SERUM-30", platformVariantId: null, quantity: 2, unitPriceMinor: "4999", discountMinor: "1000", taxMinor: "720" }],
};

describe("toEngineOrder", () => {
  it("builds one engine order from a delivery, a stored row and a snapshot alike", () => {
    const fromDelivery = toEngineOrder(normalized);
    expect(toEngineOrder(storedRow)).toEqual(fromDelivery);
    expect(fromDelivery).toEqual({
      orderId: "order-7",
      platform: "shopify",
      platformOrderId: "5007",
      orderedAt: "2026-03-01T10:00:00.000Z",
      currency: "USD",
      shippingMinor: 895n,
      taxMinor: 720n,
      lines: [{ platformLineId: "l1", sku: "SERUM-30", platformVariantId: null, quantity: 2, unitPriceMinor: 4_999n, discountMinor: 1_000n, taxMinor: 720n }],
    });
  });

  it("copies nothing the engine does not read (no customer details reach a snapshot)", () => {
    expect(Object.keys(toEngineOrder(normalized))).not.toContain("customer");
    expect(Object.keys(toEngineOrder(normalized).lines[0]!)).not.toContain("title");
  });

  it("reads a stored snapshot's order back to the order it was evaluated with", () => {
    const planVersion = { id: "plan-1", version: 1, rules: unilevelPlan({ standard: percentRates("10", "5") }) };
    const input = {
      order: order([orderLine("a", "SERUM-30", 3, 2_500n, 500n, 200n)]),
      planVersion,
      catalog: standardCatalog(),
      upline: chain("ana", "ben"),
      settings: EXCLUDE_SHIPPING_AND_TAX,
    };
    const { snapshot } = evaluationFromJson(evaluationToJson(evaluate(input)));
    expect(toEngineOrder(snapshot.order)).toEqual(toEngineOrder(input.order));
  });
});
