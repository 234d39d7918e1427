import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coreConfig } from "~/config.server";
import { db, pgPool } from "~/db.server";
import { MAINTENANCE_JOBS, queues } from "~/queues.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { createConnection } from "~/services/connections.server";
import { backfillAllWooCommerce } from "~/services/backfill/woocommerce-backfill.server";
import { startWorkers, type RunningWorkers } from "../../workers/start-workers";
import { startAppServer, type TestServer } from "../support/app-server";
import { waitUntil, wooCommerceDelivery } from "../support/deliveries";

/**
 * A stand-in for a WooCommerce store's REST API (no WordPress runs here): it serves the published v3 order and
 * refund examples from test/fixtures, checks Basic auth like WooCommerce does over HTTPS, and records requests.
 */
const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/woocommerce/${name}`, "utf8")) as Record<string, unknown>;
const order727 = { ...fixture("order-727.wc-v3.docs.json"), refunds: [{ id: 726, reason: "", total: "-10.00" }] };
const missedOrder = { ...fixture("order-727.wc-v3.docs.json"), id: 728, number: "728", date_modified_gmt: "2017-03-22T20:00:00", refunds: [] };
const refunds = (JSON.parse(readFileSync("test/fixtures/woocommerce/refunds-list-with-line-items.wc-v3.docs.json", "utf8")) as Record<string, unknown>[])
  .slice(0, 1)
  .map((refund) => ({
    ...refund,
    line_items: [
      {
        id: 900,
        name: "Woo Single #1",
        product_id: 93,
        quantity: -1,
        subtotal: "-10.00",
        total: "-10.00",
        total_tax: "0.00",
        meta_data: [{ id: 1, key: "_refunded_item_id", value: "315" }],
      },
    ],
  }));

let store: Server;
let storeUrl: string;
const requests: string[] = [];
let server: TestServer;
let workers: RunningWorkers;
let shopId: string;
let woo: Awaited<ReturnType<typeof createConnection>>;

/**
 * The worker schedules its own backfill pass, the first at once. Left to run, it raced this file's passes for
 * the same store on a busy machine (whichever pass came first counted the new events): it is removed, and its
 * first run waited out, before the store's connection exists.
 */
async function stopScheduledBackfill() {
  await queues().maintenance.removeJobScheduler(MAINTENANCE_JOBS.wooBackfill);
  await waitUntil(
    async () => {
      const pending = await queues().maintenance.getJobs(["waiting", "prioritized", "delayed", "active"]);
      return pending.every((job) => job?.name !== MAINTENANCE_JOBS.wooBackfill);
    },
    20_000,
    "the scheduled WooCommerce backfill to be gone",
  );
}

beforeAll(async () => {
  store = createServer((request, response) => {
    requests.push(request.url ?? "");
    if (request.headers.authorization !== `Basic ${Buffer.from("ck_test:cs_test").toString("base64")}`) {
      response.writeHead(401).end();
      return;
    }
    const url = new URL(request.url ?? "/", "http://store");
    const body = url.pathname === "/wp-json/wc/v3/orders" ? [order727, missedOrder] : url.pathname === "/wp-json/wc/v3/orders/727/refunds" ? refunds : null;
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "Content-Type": "application/json", "X-WP-TotalPages": "1" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => store.listen(0, "127.0.0.1", resolve));
  storeUrl = `http://127.0.0.1:${(store.address() as AddressInfo).port}`;
  server = await startAppServer();
  workers = await startWorkers(coreConfig());
  await stopScheduledBackfill();
  shopId = (await ensureShopifyShop(db(), "woo-merchant.myshopify.com")).id;
  woo = await createConnection(db(), shopId, {
    platform: "woocommerce",
    name: "Woo",
    baseUrl: storeUrl,
    restConsumerKey: "ck_test",
    restConsumerSecret: "cs_test",
  });
});
afterAll(async () => {
  await workers?.close(true);
  await server?.close();
  await new Promise((resolve) => store?.close(resolve));
});

const deps = () => ({ db: db(), pool: pgPool(), queues: queues(), jobAttempts: 3 });

describe("WooCommerce REST backfill", () => {
  it("catches a missed order and per-line refunds, without doubling an order a webhook already delivered", async () => {
    const delivered = await fetch(`${server.url}${woo.ingestPath}`, wooCommerceDelivery(JSON.stringify(order727), woo.webhookSecret));
    expect(delivered.status).toBe(200);

    const first = await backfillAllWooCommerce(deps());
    expect(first.failures).toEqual([]);
    expect(first.results).toEqual([{ connectionId: woo.id, ordersSeen: 2, refundsSeen: 1, newEvents: 2 }]);
    expect(requests.some((url) => url.includes("modified_after="))).toBe(true);

    expect(await db().webhookEvent.count({ where: { connectionId: woo.id, eventKey: { startsWith: "727:order.updated:" } } })).toBe(1);
    const missed = await waitUntil(
      () => db().order.findFirst({ where: { shopId, platform: "woocommerce", platformOrderId: "728" } }),
      20_000,
      "the missed order",
    );
    expect(missed.currency).toBe("USD");
    const refund = await waitUntil(() => db().refund.findFirst({ where: { shopId, platform: "woocommerce", platformRefundId: "726" } }), 20_000, "the refund");
    expect(refund).toMatchObject({ platformOrderId: "727", totalMinor: 1_000n });
    expect((refund.normalized as { lines: { platformLineId: string; subtotalMinor: string }[] }).lines).toEqual([
      expect.objectContaining({ platformLineId: "315", quantity: 1, subtotalMinor: "1000" }),
    ]);

    const second = await backfillAllWooCommerce(deps());
    expect(second.results[0]).toMatchObject({ ordersSeen: 2, refundsSeen: 1, newEvents: 0 });
    expect((await db().connection.findUniqueOrThrow({ where: { id: woo.id } })).lastBackfillAt).not.toBeNull();
  });

  it("reports a store that refuses the credentials, and goes on with the others", async () => {
    const broken = await createConnection(db(), shopId, {
      platform: "woocommerce",
      name: "Wrong keys",
      baseUrl: storeUrl,
      restConsumerKey: "ck_bad",
      restConsumerSecret: "cs_bad",
    });
    const run = await backfillAllWooCommerce(deps());
    expect(run.failures).toEqual([{ connectionId: broken.id, error: expect.stringContaining("401") }]);
    expect(run.results.map((result) => result.connectionId)).toContain(woo.id);
  });
});
