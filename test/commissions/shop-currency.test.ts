/**
 * The shop's currency comes from the shop (issue 11, item 4): Shopify's shop/update webhook says EUR, so a EUR
 * shop's period close pays in EUR instead of dropping its euros as a currency mismatch against a USD default.
 * Delivered signed through the ingest route, closed and read back through the periods REST API.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { createConnection } from "~/services/connections.server";
import { dashboardSummary } from "~/services/dashboard.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { orderBody, orderRow } from "./support";
import { firstPeriodJobDone, seedPeriodShop, type PeriodShop } from "../periods/support";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";

const EUR_SHOP = "eur-shop.myshopify.com";
const app = runAppAndWorkers();
let shop: PeriodShop;
let token: string;

beforeAll(async () => {
  await firstPeriodJobDone();
  shop = await seedPeriodShop(EUR_SHOP);
  token = (await createApiToken(db(), shop.shopId, "periods", ["periods:read", "periods:write"])).token;
});

async function deliver(body: string, topic: string) {
  const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, shop: EUR_SHOP, webhookId: randomUUID() }));
  expect(response.status).toBe(200);
}

const close = (start: string) =>
  fetch(`${app.server.url}/api/v1/periods/close`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
    body: JSON.stringify({ period_start: start }),
  });

describe("the shop currency", () => {
  it("is taken from Shopify's shop/update, and a EUR shop's period pays in EUR", async () => {
    // The Shop resource as shop/update sends it (the fields that matter here).
    await deliver(
      JSON.stringify({ id: 548380009, name: "EUR shop", domain: EUR_SHOP, myshopify_domain: EUR_SHOP, currency: "EUR", money_format: "€{{amount}}" }),
      "shop/update",
    );
    await waitUntil(
      () => db().webhookEvent.findFirst({ where: { shopId: shop.shopId, topic: "shop/update", status: { notIn: ["pending", "processing", "failed"] } } }),
      20_000,
      "the shop/update delivery",
    );

    // Shopify's sample order in the shop's money, EUR.
    await deliver(orderBody("9301", { ref: "CHARLIE", createdAt: "2026-03-05T10:00:00Z" }).replaceAll('"USD"', '"EUR"'), "orders/paid");
    const order = await waitUntil(() => orderRow(shop.shopId, "9301"), 20_000, "the order");
    await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, "the commission");

    for (const start of ["2026-01-01", "2026-02-01"]) expect((await close(start)).status).toBe(200);
    const march = await close("2026-03-01");
    expect(march.status).toBe(200);
    // ALPHA matches 10 % of CHARLIE's 39.80 unilevel commission: 3.98, in euros (a USD shop would drop it).
    expect(await march.json()).toMatchObject({ period: { key: "2026-03", totals: { paid: { amount_minor: "398", currency: "EUR" }, orders: 1 } } });

    // The plan's USD amounts (minimum payout, pair payout and cap, rank bonuses) cannot be paid in EUR: the
    // dashboard lists them, and counts the closes that skipped them.
    const dashboard = await dashboardSummary(db(), shop.shopId);
    expect(dashboard).toMatchObject({ currency: "EUR", currencySource: "shopify" });
    expect(dashboard.planCurrencyMismatches.map((mismatch) => mismatch.currency)).toEqual(["USD", "USD", "USD", "USD"]);
    expect(dashboard.currencyErrors.periodCloses).toBeGreaterThan(0);
  });

  it("follows a connected store's currency when Shopify has not said, and the first order's when nobody has", async () => {
    const withStore = (await ensureShopifyShop(db(), "store-currency.myshopify.com")).id;
    await createConnection(db(), withStore, { platform: "woocommerce", name: "Woo in GBP", currency: "gbp" });
    expect(await db().shop.findUnique({ where: { id: withStore }, select: { currency: true, currencySource: true } })).toEqual({
      currency: "GBP",
      currencySource: "connection",
    });

    const fresh = await ensureShopifyShop(db(), "first-order.myshopify.com");
    const response = await fetch(
      `${app.server.url}/ingest/shopify`,
      shopifyDelivery(orderBody("9302").replaceAll('"USD"', '"CAD"'), { shop: "first-order.myshopify.com", webhookId: randomUUID() }),
    );
    expect(response.status).toBe(200);
    await waitUntil(
      async () => (await db().shop.findUnique({ where: { id: fresh.id } }))?.currencySource === "first_order",
      20_000,
      "the first order's currency",
    );
    expect((await db().shop.findUniqueOrThrow({ where: { id: fresh.id } })).currency).toBe("CAD");
  });
});
