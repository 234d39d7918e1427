import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { createConnection, setConnectionStatus } from "~/services/connections.server";
import { signHmacSha256Base64 } from "~/domain/platforms/signatures";
import { magentoOrderFor, shopifyOrderFor, SPRING_BASKET, wooCommerceOrderFor } from "~test/support/platforms/baskets";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil, wooCommerceDelivery } from "../support/deliveries";

const app = runAppAndWorkers();
let shopId: string;
let woo: Awaited<ReturnType<typeof createConnection>>;
let magento: Awaited<ReturnType<typeof createConnection>>;

beforeAll(async () => {
  shopId = (await ensureShopifyShop(db(), TEST_SHOP)).id;
  woo = await createConnection(db(), shopId, { platform: "woocommerce", name: "Woo store", baseUrl: "https://woo.example" });
  magento = await createConnection(db(), shopId, { platform: "magento", name: "Magento store" });
});

const post = (path: string, init: RequestInit) => fetch(`${app.server.url}${path}`, init);

function magentoModuleDelivery(order: unknown, secret: string): RequestInit {
  const body = JSON.stringify({
    event: "order.placed",
    event_id: "order-3-order.placed-1f2e",
    created_at: "2026-03-01T10:00:05Z",
    store_base_url: "https://m.example/",
    data: order,
  });
  return {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Upline-Topic": "order.placed",
      "X-Upline-Event-Id": "order-3-order.placed-1f2e",
      "X-Upline-Signature": signHmacSha256Base64(body, secret),
    },
  };
}

/** What an order means for commissions, without the platform's own ids. */
async function meaningOf(platform: "shopify" | "woocommerce" | "magento") {
  const order = await waitUntil(
    () => db().order.findFirst({ where: { shopId, platform }, include: { lines: { orderBy: { position: "asc" } } } }),
    20_000,
    `the ${platform} order`,
  );
  return {
    currency: order.currency,
    orderedAt: order.orderedAt.toISOString(),
    referralCode: order.referralCode,
    totals: [order.subtotalMinor, order.discountMinor, order.shippingMinor, order.taxMinor, order.totalMinor],
    lines: order.lines.map((line) => [line.sku, line.quantity, line.unitPriceMinor, line.discountMinor, line.taxMinor, line.netMinor]),
  };
}

describe("one basket from three platforms", () => {
  it("stores WooCommerce and Magento orders equal in meaning to the Shopify one", async () => {
    const shopifyBody = JSON.stringify(shopifyOrderFor(SPRING_BASKET));
    expect((await post("/ingest/shopify", shopifyDelivery(shopifyBody))).status).toBe(200);

    const wooBody = JSON.stringify(wooCommerceOrderFor(SPRING_BASKET));
    expect((await post(woo.ingestPath, wooCommerceDelivery(wooBody, woo.webhookSecret))).status).toBe(200);

    const magentoResponse = await post(magento.ingestPath, magentoModuleDelivery(magentoOrderFor(SPRING_BASKET), magento.webhookSecret));
    expect(magentoResponse.status).toBe(200);
    expect(await magentoResponse.json()).toEqual({ op: "success" });

    const shopify = await meaningOf("shopify");
    expect(shopify.referralCode).toBe(SPRING_BASKET.referralCode);
    expect(shopify.lines).toEqual([
      ["UPL-SHAKE-VAN", 2, 2_500n, 500n, 360n, 4_500n],
      ["UPL-HOODIE-S", 1, 3_000n, 300n, 216n, 2_700n],
    ]);
    expect(await meaningOf("woocommerce")).toEqual(shopify);
    expect(await meaningOf("magento")).toEqual(shopify);
  });
});

describe("connection deliveries", () => {
  it("answers WooCommerce's unsigned creation ping with exactly 200 and stores nothing", async () => {
    const before = await db().webhookEvent.count();
    const response = await post(woo.ingestPath, { method: "POST", body: "webhook_id=17", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect(await db().webhookEvent.count()).toBe(before);
  });

  it("refuses a delivery signed with another connection's secret", async () => {
    const body = JSON.stringify(wooCommerceOrderFor(SPRING_BASKET));
    expect((await post(woo.ingestPath, wooCommerceDelivery(body, magento.webhookSecret))).status).toBe(401);
    expect((await post(magento.ingestPath, magentoModuleDelivery({}, woo.webhookSecret))).status).toBe(401);
  });

  it("answers 404 when the connection belongs to another platform", async () => {
    const body = JSON.stringify(wooCommerceOrderFor(SPRING_BASKET));
    expect((await post(`/ingest/magento/${woo.id}`, wooCommerceDelivery(body, woo.webhookSecret))).status).toBe(404);
  });

  it("dedupes a WooCommerce redelivery of the same order version (its delivery id differs)", async () => {
    const body = JSON.stringify({ ...wooCommerceOrderFor(SPRING_BASKET), id: 9001 });
    const first = wooCommerceDelivery(body, woo.webhookSecret);
    await post(woo.ingestPath, first);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await post(woo.ingestPath, wooCommerceDelivery(body, woo.webhookSecret));
    expect(await db().webhookEvent.count({ where: { connectionId: woo.id, eventKey: { startsWith: "9001:" } } })).toBe(1);
  });

  it("echoes Adobe I/O's registration challenge", async () => {
    const response = await fetch(`${app.server.url}${magento.ingestPath}?challenge=abc123`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: "abc123" });
  });

  it("answers 403 for a disabled connection", async () => {
    const paused = await createConnection(db(), shopId, { platform: "woocommerce", name: "Paused store" });
    await setConnectionStatus(db(), shopId, paused.id, "disabled");
    const body = JSON.stringify(wooCommerceOrderFor(SPRING_BASKET));
    expect((await post(paused.ingestPath, wooCommerceDelivery(body, paused.webhookSecret))).status).toBe(403);
  });
});
