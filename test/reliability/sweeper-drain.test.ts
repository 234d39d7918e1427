import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db, pgPool } from "~/db.server";
import { queues } from "~/queues.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { insertInboxEvent } from "~/services/ingest/inbox.server";
import { sweepInbox } from "~/services/inbox/sweeper.server";

/**
 * Issue 4 reliability: events stored while their enqueue failed (Redis unreachable, or the web's producer
 * broken) wait for the sweeper. One batch per run held the whole pipeline to the sweeper's pace (500 rows per
 * 30 s ≈ 16 orders/s at best) while the worker sat idle; one run now hands over every stale row.
 */
describe("the inbox sweeper after a stretch of failed enqueues", () => {
  it("hands every stale row to the queue in one run, batch after batch, and leaves fresh rows alone", async () => {
    const shop = await ensureShopifyShop(db(), "sweeper-drain.myshopify.com");
    const stored = [];
    for (let i = 0; i < 25; i++) {
      const { eventId } = await insertInboxEvent(pgPool(), {
        shopId: shop.id,
        connectionId: null,
        platform: "shopify",
        eventKey: randomUUID(),
        topic: "orders/paid",
        headers: {},
        rawBody: JSON.stringify({ id: 9_400_000 + i }),
        triggeredAt: null,
      });
      stored.push(eventId!);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));

    const first = await sweepInbox(db(), queues(), { staleAfterMs: 20, attempts: 3, batchSize: 10 });
    expect(first.requeued).toBe(25);
    const jobs = await Promise.all(stored.map((id) => queues().events.getJob(id)));
    expect(jobs.filter((job) => job?.data.shopId === shop.id)).toHaveLength(25);

    // Touched by the sweep: not stale again until another staleAfterMs has passed.
    const second = await sweepInbox(db(), queues(), { staleAfterMs: 60_000, attempts: 3, batchSize: 10 });
    expect(second.requeued).toBe(0);
  });
});
