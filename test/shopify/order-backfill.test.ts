/**
 * The Shopify order backfill through the Admin API, against the local fake: an order delivered by webhook and
 * also read by the backfill is stored once and pays once (either order of arrival), an order whose webhook never
 * came is caught and paid like a delivered one, the REST endpoint queues the job, and a bulk operation over the
 * same range stores nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, pgPool } from "~/db.server";
import { parseJsonLossless } from "~/domain/platforms/json";
import { queues } from "~/queues.server";
import { createApiToken } from "~/services/api/tokens.server";
import { backfillShopifyOrders } from "~/services/backfill/shopify-backfill.server";
import { ShopifyAdminClient } from "~/services/shopify/admin-client.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";
import { arraySource, startFakeShopifyAdmin, type FakeShopifyAdmin } from "../support/fakes/shopify-admin";
import { graphqlOrderFromRest } from "../support/fakes/shopify-graphql-orders";
import { orderBody, seedShop, walletDeltas } from "../commissions/support";

const TOKEN = "shpat_backfill_test";
const DELIVERED = "9100001";
const MISSED = "9100002";
const BACKFILLED_FIRST = "9100003";

let fake: FakeShopifyAdmin;
let shopId: string;
let apiToken: string;
const app = runAppAndWorkers();

const graphqlOrder = (orderId: string) => graphqlOrderFromRest(parseJsonLossless(orderBody(orderId)) as Record<string, unknown>);

async function deliver(orderId: string) {
  const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(orderBody(orderId), { topic: "orders/paid" }));
  expect(response.status).toBe(200);
}

async function paidOrder(orderId: string) {
  return waitUntil(
    async () => {
      const order = await db().order.findFirst({ where: { shopId, platform: "shopify", platformOrderId: orderId } });
      if (!order) return null;
      return (await db().commission.findFirst({ where: { shopId, orderId: order.id } })) ? order : null;
    },
    30_000,
    `order ${orderId} stored and computed`,
  );
}

/** Every inbox row, commission and order row about one platform order. */
async function footprint(orderId: string) {
  const orders = await db().order.findMany({ where: { shopId, platform: "shopify", platformOrderId: orderId }, select: { id: true } });
  const events = await db().$queryRaw<{ eventKey: string }[]>`
    SELECT "eventKey" FROM "WebhookEvent" WHERE "shopId" = ${shopId}::uuid AND "platform" = 'shopify'
      AND "rawBody" LIKE ${`%gid://shopify/Order/${orderId}"%`} ORDER BY "receivedAt"`;
  const commissions = orders.length === 1 ? await db().commission.count({ where: { shopId, orderId: orders[0]!.id } }) : -1;
  return { orders: orders.length, events: events.map((event) => (event.eventKey.startsWith("backfill:") ? "backfill" : "webhook")), commissions };
}

const client = () => new ShopifyAdminClient({ apiUrl: fake.apiUrl, backoff: { baseMs: 20, maxMs: 200 } });
const deps = () => ({ db: db(), pool: pgPool(), queues: queues(), jobAttempts: 3, client: client(), bulk: { pollMs: 20 } });

beforeAll(async () => {
  fake = await startFakeShopifyAdmin(TOKEN);
  // The worker's client reads SHOPIFY_ADMIN_API_URL when it first runs a job: the fake, for this file.
  process.env.SHOPIFY_ADMIN_API_URL = fake.apiUrl;
  shopId = (await seedShop()).shopId;
  // What an install leaves: the offline session the Admin API client authenticates with.
  await db().session.create({
    data: { id: `offline_${TEST_SHOP}`, shop: TEST_SHOP, state: "installed", isOnline: false, accessToken: TOKEN, scope: "read_orders" },
  });
  apiToken = (await createApiToken(db(), shopId, "backfill", ["orders:write"])).token;
}, 60_000);
afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_URL;
  await fake?.close();
});

describe("Shopify order backfill", () => {
  it("stores an order a webhook delivered once, pays it once, and catches the order whose webhook never came", async () => {
    await deliver(DELIVERED);
    const delivered = await paidOrder(DELIVERED);
    const paidByWebhook = await walletDeltas(shopId, delivered.id);
    expect(Object.keys(paidByWebhook).length).toBeGreaterThan(0);

    fake.orders = arraySource([graphqlOrder(DELIVERED), graphqlOrder(MISSED)]);
    const response = await fetch(`${app.server.url}/api/v1/backfills`, {
      method: "POST",
      headers: { Authorization: `Bearer ${apiToken}`, "Content-Type": "application/json", "Idempotency-Key": "backfill-1" },
      body: JSON.stringify({ since: "2021-01-01T00:00:00Z" }),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: "queued", platform: "shopify", shop: TEST_SHOP, since: "2021-01-01T00:00:00.000Z", mode: "auto" });

    const audit = await waitUntil(() => db().auditLog.findFirst({ where: { shopId, action: "shopify.orders_backfilled" } }), 30_000, "the backfill job");
    expect(audit.after).toMatchObject({ mode: "pages", ordersSeen: 2, alreadyStored: 1, newEvents: 1 });

    const missed = await paidOrder(MISSED);
    expect(await footprint(DELIVERED)).toEqual({ orders: 1, events: ["webhook"], commissions: 1 });
    expect(await footprint(MISSED)).toEqual({ orders: 1, events: ["backfill"], commissions: 1 });
    // The same order body: the same commission, to the cent, paid once each.
    expect(await walletDeltas(shopId, missed.id)).toEqual(paidByWebhook);
    expect(await walletDeltas(shopId, delivered.id)).toEqual(paidByWebhook);
    expect(missed.normalized).toEqual(delivered.normalized === null ? null : { ...(delivered.normalized as object), platformOrderId: MISSED });
  });

  it("pays once when the backfill reads an order before its webhook arrives", async () => {
    fake.orders = arraySource([graphqlOrder(BACKFILLED_FIRST)]);
    const run = await backfillShopifyOrders(deps(), { shopId, shopDomain: TEST_SHOP, since: new Date("2021-01-01T00:00:00Z"), mode: "pages" });
    expect(run).toMatchObject({ ordersSeen: 1, alreadyStored: 0, newEvents: 1 });
    const order = await paidOrder(BACKFILLED_FIRST);
    const paid = await walletDeltas(shopId, order.id);

    await deliver(BACKFILLED_FIRST);
    await waitUntil(
      async () =>
        (await footprint(BACKFILLED_FIRST)).events.length === 2 &&
        (await db().webhookEvent.count({ where: { shopId, status: { in: ["pending", "processing"] } } })) === 0,
      30_000,
      "the late webhook processed",
    );
    expect(await footprint(BACKFILLED_FIRST)).toEqual({ orders: 1, events: ["backfill", "webhook"], commissions: 1 });
    expect(await walletDeltas(shopId, order.id)).toEqual(paid);
  });

  it("runs large ranges as one bulk operation, and a second run stores nothing again", async () => {
    fake.orders = arraySource([graphqlOrder(DELIVERED), graphqlOrder(MISSED), graphqlOrder(BACKFILLED_FIRST)]);
    fake.bulkPolls = 2;
    const before = fake.bulkOperations();
    const run = await backfillShopifyOrders(deps(), { shopId, shopDomain: TEST_SHOP, since: new Date("2021-01-01T00:00:00Z"), mode: "bulk" });
    expect(run).toMatchObject({
      mode: "bulk",
      ordersSeen: 3,
      alreadyStored: 3,
      newEvents: 0,
      bulkOperationId: expect.stringMatching(/^gid:\/\/shopify\/BulkOperation\//),
    });
    expect(fake.bulkOperations()).toBe(before + 1);
    for (const id of [DELIVERED, MISSED, BACKFILLED_FIRST]) expect((await footprint(id)).orders).toBe(1);
  });

  it("turns to the bulk operation when Shopify prices a page above the single-query maximum", async () => {
    fake.orders = arraySource([graphqlOrder(DELIVERED)]);
    fake.costPerOrder = 250; // a page of 5 orders: 1,252 points
    try {
      const run = await backfillShopifyOrders(deps(), { shopId, shopDomain: TEST_SHOP, since: new Date("2021-01-01T00:00:00Z"), mode: "pages" });
      expect(run).toMatchObject({ mode: "bulk", ordersSeen: 1, alreadyStored: 1, newEvents: 0 });
      expect(fake.requests.some((request) => request.root === "orders" && request.status === 200)).toBe(true);
    } finally {
      fake.costPerOrder = 5;
    }
  });

  it("refuses a backfill for a shop without an Admin API session, and a date in the future", async () => {
    const post = (body: unknown, key: string) =>
      fetch(`${app.server.url}/api/v1/backfills`, {
        method: "POST",
        headers: { Authorization: `Bearer ${apiToken}`, "Content-Type": "application/json", "Idempotency-Key": key },
        body: JSON.stringify(body),
      });
    const future = await post({ since: new Date(Date.now() + 86_400_000).toISOString() }, "future");
    expect(future.status).toBe(422);
    expect(await future.json()).toMatchObject({ errors: [{ field: "since", message: "must not be in the future" }] });
    await db().session.delete({ where: { id: `offline_${TEST_SHOP}` } });
    const uninstalled = await post({}, "no-session");
    expect(uninstalled.status).toBe(409);
    expect(await uninstalled.json()).toMatchObject({ title: "Not installed" });
  });
});
