import { describe, expect, it } from "vitest";
import type { NormalizedOrder } from "../platforms/normalized";
import { evaluate } from "./evaluate";
import { evaluationFromJson, evaluationToJson, inputFromSnapshot } from "./snapshot";
import { EXCLUDE_SHIPPING_AND_TAX, chain, orderLine, percentRates, standardCatalog, unilevelPlan } from "~test/support/engine";

const normalized: NormalizedOrder = {
  kind: "order",
  platform: "shopify",
  platformOrderId: "820982911946154508",
  orderNumber: "#1001",
  orderedAt: "2026-03-01T10:00:00Z",
  updatedAt: "2026-03-01T10:05:00Z",
  status: "paid",
  currency: "USD",
  customer: { platformCustomerId: "115310627314723954", email: "buyer@example.com" },
  referrals: [{ code: "ANA", source: "cart_attribute" }],
  discountCodes: [],
  lines: [
    { ...orderLine("a", "CREAM-50", 2, 2_500n, 100n, 200n), platformProductId: "p-1", title: "Night cream" },
    { ...orderLine("b", "MYSTERY", 1, 900n), platformProductId: null, title: "Mystery box" },
  ],
  shippingMinor: 500n,
  taxMinor: 200n,
  totalMinor: 6_000n,
};

const input = {
  order: { ...normalized, orderId: "ord_1" },
  planVersion: { id: "plan-7", version: 7, rules: unilevelPlan({ standard: percentRates("10", "5"), kits: percentRates("20") }) },
  catalog: standardCatalog(),
  upline: chain("ana", ["ben", "inactive"], "cai"),
  settings: EXCLUDE_SHIPPING_AND_TAX,
};

describe("evaluation snapshot", () => {
  const result = evaluate(input);

  it("is plain JSON: bigints as strings, no customer details, only the classes and mappings used", () => {
    const json = JSON.stringify(result.snapshot);
    expect(json).not.toContain("buyer@example.com");
    expect(json).not.toContain("115310627314723954");
    expect(result.snapshot.order.lines[0]).toMatchObject({ unitPriceMinor: "2500", discountMinor: "100", taxMinor: "200" });
    expect(result.snapshot.catalog.classes.map((c) => c.id)).toEqual(["standard"]);
    expect(result.snapshot.catalog.mappings).toEqual([{ platform: "shopify", platformSku: "CREAM-50", platformVariantId: null, classId: "standard" }]);
    expect(result.snapshot.upline).toEqual([
      { distributorId: "ana", status: "active", rank: null, sponsorDepth: 100 },
      { distributorId: "ben", status: "inactive", rank: null, sponsorDepth: 99 },
      { distributorId: "cai", status: "active", rank: null, sponsorDepth: 98 },
    ]);
  });

  it("replays to the identical result", () => {
    const replayed = evaluate(inputFromSnapshot(JSON.parse(JSON.stringify(result.snapshot))));
    expect(evaluationToJson(replayed)).toBe(evaluationToJson(result));
  });

  it("round-trips a whole evaluation through storage with its bigints", () => {
    const text = evaluationToJson(result);
    const restored = evaluationFromJson(text);
    expect(restored).toEqual(result);
    expect(evaluationToJson(restored)).toBe(text);
  });
});
