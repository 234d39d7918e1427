import { describe, expect, it } from "vitest";
import { normalizeShopifyOrder } from "~/domain/platforms/shopify";
import { parseJsonLossless } from "~/domain/platforms/json";
import { SPRING_BASKET, shopifyOrderFor } from "~test/support/platforms/baskets";
import { shopifyWireText } from "~test/support/platforms/fixtures";
import { generatedGraphqlOrder, graphqlOrderFromRest } from "~test/support/fakes/shopify-graphql-orders";
import { BulkOrderAssembler, BulkResultError } from "./bulk-orders";
import { numericIdOf, restPayloadOf, type GraphqlOrder } from "./graphql-order";
import { afterSpending, readQueryCost, retryAfterMs, retryDelayMs, throttledWaitMs, waitBeforeSpending } from "./query-cost";

type Json = Record<string, unknown>;

/** The order as the webhook delivers it, and as the backfill reads it over GraphQL, normalize to the same order. */
function bothWays(rest: Json) {
  const delivered = normalizeShopifyOrder(JSON.stringify(rest));
  const backfilled = normalizeShopifyOrder(JSON.stringify(restPayloadOf(graphqlOrderFromRest(rest))));
  return { delivered, backfilled };
}

describe("a GraphQL order in the webhook payload shape", () => {
  it("normalizes like the orders/create sample Shopify delivers", () => {
    const rest = parseJsonLossless(shopifyWireText("orders_create.sample.trigger-dev.json")) as Json;
    const { delivered, backfilled } = bothWays({ ...rest, financial_status: "paid" });
    expect(backfilled).toEqual(delivered);
    expect(backfilled.platformOrderId).toBe("820982911946154508");
  });

  it("keeps discounts, tax, shipping and the referral code of a basket, tax-exclusive and tax-inclusive", () => {
    for (const taxesIncluded of [false, true]) {
      const { delivered, backfilled } = bothWays(shopifyOrderFor(SPRING_BASKET, { taxesIncluded }) as Json);
      expect(backfilled).toEqual(delivered);
      expect(backfilled.referrals.map((referral) => referral.code)).toContain(SPRING_BASKET.referralCode.toUpperCase());
      expect(backfilled.lines.some((line) => line.discountMinor > 0n)).toBe(true);
    }
  });

  it("maps display financial statuses and cancellation to the order status", () => {
    const order = generatedGraphqlOrder(1);
    const status = (patch: Partial<GraphqlOrder>) => normalizeShopifyOrder(restPayloadOf({ ...order, ...patch })).status;
    expect(status({ displayFinancialStatus: "PAID" })).toBe("paid");
    expect(status({ displayFinancialStatus: "PARTIALLY_REFUNDED" })).toBe("partially_refunded");
    expect(status({ displayFinancialStatus: "AUTHORIZED" })).toBe("pending");
    expect(status({ displayFinancialStatus: "PAID", cancelledAt: "2026-11-02T00:00:00Z" })).toBe("cancelled");
    expect(normalizeShopifyOrder(restPayloadOf(order)).totalMinor).toBe(6_400n);
  });

  it("reads ids from global ids exactly, beyond 2^53", () => {
    expect(numericIdOf("gid://shopify/Order/820982911946154508")).toBe("820982911946154508");
    expect(numericIdOf("not-a-gid")).toBeNull();
  });
});

describe("the bulk operation's JSONL, grouped by order", () => {
  function jsonl(orders: GraphqlOrder[]): string[] {
    return orders.flatMap((order) => {
      const { lineItems, shippingLines, ...own } = order;
      return [
        JSON.stringify(own),
        ...(lineItems?.nodes ?? []).map((line) => JSON.stringify({ ...line, __parentId: order.id })),
        ...(shippingLines?.nodes ?? []).map((line) => JSON.stringify({ ...line, __parentId: order.id })),
      ];
    });
  }

  it("gives back each order with its lines, one at a time", () => {
    const orders = [generatedGraphqlOrder(1), generatedGraphqlOrder(2), generatedGraphqlOrder(3)];
    const assembler = new BulkOrderAssembler();
    const out: GraphqlOrder[] = [];
    for (const line of [...jsonl(orders), ""]) {
      const done = assembler.push(line);
      if (done) out.push(done);
    }
    const last = assembler.finish();
    if (last) out.push(last);
    expect(out).toEqual(orders);
  });

  it("refuses a child line whose order is not the one being read (an ungrouped file)", () => {
    const [a, b] = [generatedGraphqlOrder(1), generatedGraphqlOrder(2)];
    const lines = jsonl([a, b]);
    const assembler = new BulkOrderAssembler();
    // b's first line item placed after b's own line would be fine; a's line item after b is not.
    const shuffled = [lines[0]!, lines[4]!, lines[1]!];
    expect(() => shuffled.forEach((line) => assembler.push(line))).toThrow(BulkResultError);
  });
});

describe("calculated query cost", () => {
  const status = { maximumAvailable: 1_000, currentlyAvailable: 100, restoreRate: 50 };

  it("reads extensions.cost as Shopify sends it", () => {
    const cost = readQueryCost({
      cost: { requestedQueryCost: 752, actualQueryCost: null, throttleStatus: { maximumAvailable: 1000.0, currentlyAvailable: 666, restoreRate: 50.0 } },
    });
    expect(cost).toEqual({
      requestedQueryCost: 752,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 666, restoreRate: 50 },
    });
    expect(readQueryCost(undefined)).toBeNull();
  });

  it("waits for the deficit at the restore rate, counting what refilled since the last answer", () => {
    expect(waitBeforeSpending(status, 0, 0, 50)).toBe(0);
    expect(waitBeforeSpending(status, 0, 0, 300)).toBe(4_000);
    expect(waitBeforeSpending(status, 0, 1_000, 300)).toBe(3_000);
    expect(waitBeforeSpending(status, 0, 0, 5_000)).toBe(0); // never affordable: sent, and refused by Shopify
    expect(afterSpending(status, 0, 2_000, 150).currentlyAvailable).toBe(50);
  });

  it("after THROTTLED, waits until the refused query fits", () => {
    expect(
      throttledWaitMs(
        readQueryCost({ cost: { requestedQueryCost: 752, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 666, restoreRate: 50 } } }),
        10,
      ),
    ).toBe(1_720);
    expect(throttledWaitMs(null, 10)).toBe(1_000);
  });

  it("backs off exponentially, capped, or as long as Retry-After says", () => {
    const policy = { baseMs: 500, maxMs: 8_000 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(attempt, policy, 0))).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(retryDelayMs(3, policy, 0.5)).toBe(1_500);
    expect(retryDelayMs(1, policy, 0, "2")).toBe(2_000);
    expect(retryAfterMs("Wed, 21 Oct 2015 07:28:05 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(5_000);
    expect(retryAfterMs("soon", 0)).toBeNull();
  });
});
