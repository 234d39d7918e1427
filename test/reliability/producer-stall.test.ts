import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { coreConfig } from "~/config.server";
import { db } from "~/db.server";
import { connectQueues, queues, redis } from "~/queues.server";
import { shopifyWireText } from "~test/support/platforms/fixtures";
import { startWorkers, type RunningWorkers } from "../../workers/start-workers";
import { startAppServer, type TestServer } from "../support/app-server";
import { ensureShopifyShop } from "~/services/shops.server";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";

/**
 * Issue 4 reliability: on a CPU-starved machine the web process's event loop stalls for seconds at a time
 * (importing the server build took 2.6–2.8 s at load 6.5). A stall while BullMQ's one-time start-up command
 * (its INFO version check) was in flight used to make every later enqueue fail for the life of the process:
 * orders then waited for the inbox sweeper (stale after 60 s, 500 rows per 30 s), ~8 orders/s at p50 ~90 s.
 */
const STALL_MS = 2_500;
/** Far below the sweeper's 60 s staleness: an order landing within it went through the enqueue, not the sweeper. */
const LANDS_WITHIN_MS = 15_000;

/** Blocks the event loop right after the first command the connection sends once ready, as a busy machine does. */
function stallAfterFirstCommand(connection: Redis, ms: number) {
  const send = connection.sendCommand.bind(connection);
  let stalled = false;
  connection.sendCommand = ((...args: Parameters<Redis["sendCommand"]>) => {
    const sent = send(...args);
    if (!stalled && connection.status === "ready") {
      stalled = true;
      const until = Date.now() + ms;
      while (Date.now() < until); // synchronous on purpose: a stalled loop reads no replies and runs no timers
    }
    return sent;
  }) as Redis["sendCommand"];
}

function paidOrderBody(orderId: string): string {
  return shopifyWireText("orders_create.sample.trigger-dev.json")
    .replace('"financial_status": "voided"', '"financial_status": "paid"')
    .replace(/"cancelled_at": "[^"]*"/, '"cancelled_at": null')
    .replace(/"cancel_reason": "[^"]*"/, '"cancel_reason": null')
    .replaceAll("820982911946154508", orderId);
}

let server: TestServer;
let workers: RunningWorkers;

beforeAll(async () => {
  // The web process's start-up order (scripts/serve.ts): the shared producer connects, then the app loads.
  await ensureShopifyShop(db(), TEST_SHOP);
  stallAfterFirstCommand(redis(), STALL_MS);
  await connectQueues();
  server = await startAppServer();
  workers = await startWorkers(coreConfig());
});
afterAll(async () => {
  await workers?.close(true);
  await server?.close();
});

describe("the web process's enqueue after its event loop stalled during start-up", () => {
  it("still queues every delivery, and every order lands without waiting for the sweeper", async () => {
    const orderIds = Array.from({ length: 5 }, (_, i) => String(7_300_000_000_001 + i));
    const webhookIds = orderIds.map(() => randomUUID());
    const responses = await Promise.all(
      orderIds.map((orderId, i) => fetch(`${server.url}/ingest/shopify`, shopifyDelivery(paidOrderBody(orderId), { webhookId: webhookIds[i] }))),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(5).fill(200));

    const events = await db().webhookEvent.findMany({ where: { platform: "shopify", eventKey: { in: webhookIds } } });
    expect(events).toHaveLength(5);
    for (const event of events) expect(await queues().events.getJob(event.id)).toBeTruthy();

    const processed = await waitUntil(
      async () => {
        const count = await db().webhookEvent.count({ where: { id: { in: events.map((event) => event.id) }, status: "processed" } });
        return count === 5 ? count : null;
      },
      LANDS_WITHIN_MS,
      "all five events processed through the queue",
    );
    expect(processed).toBe(5);
    expect(await db().order.count({ where: { platformOrderId: { in: orderIds } } })).toBe(5);
  });
});
