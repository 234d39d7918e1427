import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { coreConfig } from "~/config.server";
import { db } from "~/db.server";
import { queues, redis } from "~/queues.server";
import { sweepInbox } from "~/services/inbox/sweeper.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { shopifyWireText } from "~test/support/platforms/fixtures";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";
import { withAdminClient } from "../support/postgres";

// The app server connects the producer before it listens, as the web process does (scripts/serve.ts): the first
// delivery does not pay the connect within the enqueue's 1 s budget.
const app = runAppAndWorkers();
// The install (the afterAuth hook's ensureShopifyShop) creates the shop; deliveries never do.
beforeAll(async () => {
  await ensureShopifyShop(db(), TEST_SHOP);
});

/** Shopify's published sample order as it is on the wire (exact 18-digit ids), paid, with a referral cart attribute. */
function paidOrderBody(orderId = "820982911946154508"): string {
  return shopifyWireText("orders_create.sample.trigger-dev.json")
    .replace('"note_attributes": []', '"note_attributes": [{"name": "upline_ref", "value": "JANE01"}]')
    .replace('"financial_status": "voided"', '"financial_status": "paid"')
    .replace(/"cancelled_at": "[^"]*"/, '"cancelled_at": null')
    .replace(/"cancel_reason": "[^"]*"/, '"cancel_reason": null')
    .replaceAll("820982911946154508", orderId);
}

const ingest = (init: RequestInit, path = "/ingest/shopify") => fetch(`${app.server.url}${path}`, init);

async function eventsFor(webhookId: string) {
  return db().webhookEvent.findMany({ where: { platform: "shopify", eventKey: webhookId } });
}

describe("Shopify deliveries to /ingest/shopify", () => {
  it("stores a signed orders/paid once, queues one job and normalizes the order with its lines and referral", async () => {
    const webhookId = randomUUID();
    const response = await ingest(shopifyDelivery(paidOrderBody(), { webhookId }));
    expect(response.status).toBe(200);

    const [event] = await eventsFor(webhookId);
    expect(event).toMatchObject({ topic: "orders/paid", platform: "shopify" });
    expect(await queues().events.getJob(event!.id)).toBeTruthy();

    const order = await waitUntil(
      () => db().order.findFirst({ where: { platformOrderId: "820982911946154508" }, include: { lines: { orderBy: { position: "asc" } } } }),
      20_000,
      "the normalized order",
    );
    expect(order).toMatchObject({
      platform: "shopify",
      orderNumber: "#9999",
      status: "paid",
      currency: "USD",
      referralCode: "JANE01",
      referralSource: "cart_attribute",
      customerPlatformId: "115310627314723954",
      shippingMinor: 1_000n,
      totalMinor: 38_800n,
    });
    expect(order.lines.map((line) => [line.platformLineId, line.sku, line.quantity, line.unitPriceMinor])).toEqual([
      ["866550311766439020", "IPOD2008PINK", 1, 19_900n],
      ["141249953214522974", "IPOD2008PINK", 1, 19_900n],
    ]);
    const processed = await waitUntil(async () => {
      const row = await db().webhookEvent.findUniqueOrThrow({ where: { id: event!.id } });
      return row.status === "processed" ? row : null;
    });
    expect(processed.attempts).toBe(1);
    expect(processed.rawBody).toBe(paidOrderBody());
  });

  it("collapses 50 concurrent deliveries of one webhook into one row, one job and one order", async () => {
    const webhookId = randomUUID();
    const orderId = "820982911946154999";
    const body = paidOrderBody(orderId);
    const init = shopifyDelivery(body, { webhookId });
    const jobsBefore = await queues().events.getJobCountByTypes("completed", "waiting", "active", "delayed", "failed");

    const responses = await Promise.all(Array.from({ length: 50 }, () => ingest(init)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));

    const rows = await eventsFor(webhookId);
    expect(rows).toHaveLength(1);
    await waitUntil(async () => (await db().webhookEvent.findUniqueOrThrow({ where: { id: rows[0]!.id } })).status === "processed");
    const jobsAfter = await queues().events.getJobCountByTypes("completed", "waiting", "active", "delayed", "failed");
    expect(jobsAfter - jobsBefore).toBe(1);
    expect(await db().order.count({ where: { platformOrderId: orderId } })).toBe(1);
  });

  it("answers 401 to a bad signature and stores nothing", async () => {
    const webhookId = randomUUID();
    const response = await ingest(shopifyDelivery(paidOrderBody("1001"), { webhookId, secret: "not-the-app-secret" }));
    expect(response.status).toBe(401);
    expect(await eventsFor(webhookId)).toHaveLength(0);
  });

  it("answers 400 to malformed JSON with a valid signature and keeps the raw body as rejected", async () => {
    const body = '{"id": 1002, "line_items": [';
    const response = await ingest(shopifyDelivery(body));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ type: "urn:upline:problem:malformed-body", status: 400 });
    const rejected = await db().webhookEvent.findFirstOrThrow({ where: { rawBody: body } });
    expect(rejected.status).toBe("rejected");
    expect(await db().order.count({ where: { platformOrderId: "1002" } })).toBe(0);
  });

  it("answers 404 to an unknown platform or connection", async () => {
    const body = paidOrderBody("1003");
    expect((await ingest(shopifyDelivery(body), "/ingest/bigcommerce")).status).toBe(404);
    expect((await ingest(shopifyDelivery(body), `/ingest/woocommerce/${randomUUID()}`)).status).toBe(404);
    expect((await ingest(shopifyDelivery(body), "/ingest/magento/not-a-uuid")).status).toBe(404);
  });

  it("answers 413 to a body over the size limit and stores nothing", async () => {
    const webhookId = randomUUID();
    const huge = JSON.stringify({ id: 1004, padding: "x".repeat(coreConfig().INGEST_MAX_BODY_BYTES) });
    const response = await ingest(shopifyDelivery(huge, { webhookId }));
    expect(response.status).toBe(413);
    expect(await eventsFor(webhookId)).toHaveLength(0);
  });

  it("still answers 200 when Redis is down, and the sweeper processes the stored row once Redis is back", async () => {
    const webhookId = randomUUID();
    const orderId = "1005";
    redis().disconnect();
    try {
      const response = await ingest(shopifyDelivery(paidOrderBody(orderId), { webhookId }));
      expect(response.status).toBe(200);
      const [row] = await eventsFor(webhookId);
      expect(row?.status).toBe("pending");
      expect(
        await queues()
          .events.getJob(row!.id)
          .catch(() => null),
      ).toBeFalsy();
    } finally {
      await redis().connect();
    }
    const swept = await sweepInbox(db(), queues(), { staleAfterMs: 0, attempts: 3 });
    expect(swept.requeued).toBeGreaterThanOrEqual(1);
    await waitUntil(() => db().order.findFirst({ where: { platformOrderId: orderId } }), 20_000, "the swept order");
  });

  it("answers 503 while PostgreSQL refuses connections, and Shopify's retry then succeeds", async () => {
    const webhookId = randomUUID();
    const init = shopifyDelivery(paidOrderBody("1006"), { webhookId });
    const database = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    await withAdminClient(async (admin) => {
      await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS false`);
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [database]);
    });
    try {
      const response = await ingest(init);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
    } finally {
      await withAdminClient((admin) => admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS true`));
    }
    const retried = await ingest(init);
    expect(retried.status).toBe(200);
    expect(await eventsFor(webhookId)).toHaveLength(1);
    await waitUntil(() => db().order.findFirst({ where: { platformOrderId: "1006" } }), 20_000, "the retried order");
  });

  it("marks the shop uninstalled and drops its sessions on app/uninstalled", async () => {
    await db().session.create({ data: { id: "offline_upline-test.myshopify.com", shop: TEST_SHOP, state: "x", accessToken: "token" } });
    const body = shopifyWireText("app_uninstalled.sample.trigger-dev.json").replace('"myshopify_domain": null', `"myshopify_domain": "${TEST_SHOP}"`);
    expect((await ingest(shopifyDelivery(body, { topic: "app/uninstalled" }))).status).toBe(200);
    const shop = await waitUntil(async () => {
      const row = await db().shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
      return row.status === "uninstalled" ? row : null;
    });
    expect(shop.uninstalledAt).not.toBeNull();
    expect(await db().session.count({ where: { shop: TEST_SHOP } })).toBe(0);
  });

  it("keeps the one shop the install made, and creates none from a delivery for another domain (404)", async () => {
    expect(await db().shop.count({ where: { domain: TEST_SHOP } })).toBe(1);
    const response = await ingest(shopifyDelivery(paidOrderBody("1007"), { shop: "not-installed.myshopify.com" }));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: "urn:upline:problem:unknown-shop" });
    expect(await db().shop.count({ where: { domain: "not-installed.myshopify.com" } })).toBe(0);
  });
});
