/**
 * Affiliates' personal coupons through POST /api/v1/distributors/:id/coupon, against the local fake Admin API:
 * created in Shopify once even when asked twice at once (the database's unique key decides who calls Shopify),
 * mapped to the affiliate so an order carrying only that coupon credits them (through ingest of Shopify's sample
 * order), refused with Shopify's userErrors when the code is taken, and deactivated when the affiliate is
 * terminated (the Admin API job after the status change).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { openApiDocument } from "~/services/api/openapi.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";
import { startFakeShopifyAdmin, type FakeShopifyAdmin } from "../support/fakes/shopify-admin";
import { responseErrors } from "../support/openapi-check";
import { orderBody, orderRow, seedShop, walletDeltas, type SeededShop } from "../commissions/support";

const TOKEN = "shpat_coupon_test";
const app = runAppAndWorkers();
let fake: FakeShopifyAdmin;
let shop: SeededShop;
let apiToken: string;

beforeAll(async () => {
  fake = await startFakeShopifyAdmin(TOKEN);
  process.env.SHOPIFY_ADMIN_API_URL = fake.apiUrl;
  shop = await seedShop();
  await db().session.create({
    data: { id: `offline_${TEST_SHOP}`, shop: TEST_SHOP, state: "installed", isOnline: false, accessToken: TOKEN, scope: "write_discounts" },
  });
  apiToken = (await createApiToken(db(), shop.shopId, "coupons", ["distributors:read", "distributors:write"])).token;
}, 60_000);
afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_URL;
  await fake?.close();
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${app.server.url}${path}`, { ...init, headers: { Authorization: `Bearer ${apiToken}`, "Content-Type": "application/json", ...init.headers } });
const requestCoupon = (distributor: string, body: unknown) => api(`/api/v1/distributors/${distributor}/coupon`, { method: "POST", body: JSON.stringify(body) });

function conforms(method: string, path: string, status: number, body: unknown) {
  expect(responseErrors(openApiDocument(app.server.url) as never, method, path, status, body)).toEqual([]);
}

describe("affiliate coupons", () => {
  it("creates one Shopify discount when asked twice at once, maps it, and an order carrying only that coupon credits the affiliate", async () => {
    const [first, second] = await Promise.all([
      requestCoupon("JANE01", { code: "Jane-Saves", percent_off: 15 }),
      requestCoupon("JANE01", { code: "Jane-Saves", percent_off: 15 }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    const bodies = [await first.json(), await second.json()];
    conforms("post", "/api/v1/distributors/{id}/coupon", first.status, bodies[0]);
    expect(bodies[0]).toEqual(bodies[1]);
    expect(bodies[0].coupon).toMatchObject({ distributor_id: shop.ids.JANE01, code: "Jane-Saves", percent_off: 15, status: "active" });

    // Shopify got exactly one discountCodeBasicCreate, shaped as DiscountCodeBasicInput asks.
    expect(fake.requests.filter((request) => request.root === "discountCodeBasicCreate")).toHaveLength(1);
    const [discount] = [...fake.discounts.values()];
    expect(discount).toMatchObject({ code: "Jane-Saves", status: "ACTIVE", id: bodies[0].coupon.shopify_discount_id });
    expect(discount!.input).toMatchObject({ context: { all: "ALL" }, customerGets: { value: { percentage: 0.15 }, items: { all: true } } });
    expect(await db().affiliateCoupon.count({ where: { shopId: shop.shopId } })).toBe(1);
    expect(await db().discountCodeMapping.findMany({ where: { shopId: shop.shopId }, select: { code: true, distributorId: true } })).toEqual([
      { code: "JANE-SAVES", distributorId: shop.ids.JANE01 },
    ]);

    // Asked again later: the same coupon, no second call to Shopify.
    const again = await requestCoupon("JANE01", { code: "Jane-Saves", percent_off: 15 });
    expect(again.status).toBe(200);
    expect(fake.requests.filter((request) => request.root === "discountCodeBasicCreate")).toHaveLength(1);
    const read = await api("/api/v1/distributors/JANE01/coupon");
    expect(read.status).toBe(200);
    conforms("get", "/api/v1/distributors/{id}/coupon", 200, await read.json());

    // An order with no referral attribute, only the coupon typed at checkout (case as the shopper typed it).
    const delivered = await fetch(
      `${app.server.url}/ingest/shopify`,
      shopifyDelivery(orderBody("7700001", { ref: null, discountCode: "jane-saves" }), { topic: "orders/paid", webhookId: randomUUID() }),
    );
    expect(delivered.status).toBe(200);
    const order = await waitUntil(() => orderRow(shop.shopId, "7700001"), 20_000, "the order");
    const commission = await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, "its commission");
    expect(commission).toMatchObject({ attributedDistributorId: shop.ids.JANE01, attributionSource: "discount_code_mapping", attributionCode: "JANE-SAVES" });
    // JANE01's upline is paid on her sale (MIKE is inactive: compressed away), as for a referral link.
    expect(Object.keys(await walletDeltas(shop.shopId, order.id)).sort()).toEqual(expect.arrayContaining(["SAM"]));
  });

  it("answers Shopify's userErrors for a code another discount already uses, and leaves no mapping", async () => {
    const taken = await requestCoupon("SAM", { code: "JANE-SAVES" });
    expect(taken.status).toBe(422);
    const problem = await taken.json();
    expect(problem.errors).toEqual([{ field: "code", message: expect.stringMatching(/TAKEN: Code must be unique/) }]);
    expect(await db().affiliateCoupon.findFirst({ where: { shopId: shop.shopId, distributorId: shop.ids.SAM } })).toMatchObject({ status: "failed" });
    expect(await db().discountCodeMapping.count({ where: { shopId: shop.shopId, distributorId: shop.ids.SAM } })).toBe(0);

    // Another code works: the failed row is taken over.
    const retried = await requestCoupon("SAM", { code: "SAM-SAVES" });
    expect(retried.status).toBe(201);
    expect((await retried.json()).coupon).toMatchObject({ code: "SAM-SAVES", status: "active" });
  });

  it("refuses an affiliate who is not active", async () => {
    const refused = await requestCoupon("MIKE", {});
    expect(refused.status).toBe(409);
    expect(fake.discounts.size).toBe(2);
  });

  it("deactivates the coupon in Shopify when the affiliate is terminated", async () => {
    const terminated = await api("/api/v1/distributors/JANE01/status", {
      method: "POST",
      headers: { "Idempotency-Key": randomUUID() },
      body: JSON.stringify({ status: "terminated", reason: "left the program" }),
    });
    expect(terminated.status).toBe(200);
    const coupon = await waitUntil(
      async () => {
        const row = await db().affiliateCoupon.findFirst({ where: { shopId: shop.shopId, distributorId: shop.ids.JANE01 } });
        return row?.status === "disabled" ? row : null;
      },
      20_000,
      "the coupon disabled",
    );
    expect(fake.discounts.get(coupon.shopifyDiscountId!)).toMatchObject({ code: "Jane-Saves", status: "EXPIRED" });
    expect(fake.requests.filter((request) => request.root === "discountCodeDeactivate")).toHaveLength(1);
    expect(await db().auditLog.count({ where: { shopId: shop.shopId, action: "affiliate_coupon.disabled", entityId: shop.ids.JANE01 } })).toBe(1);
    // SAM's coupon is untouched.
    expect([...fake.discounts.values()].find((discount) => discount.code === "SAM-SAVES")).toMatchObject({ status: "ACTIVE" });
  });
});
