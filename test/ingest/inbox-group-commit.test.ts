import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { coreConfig } from "~/config.server";
import { db, pgPool } from "~/db.server";
import { connectQueues, queues } from "~/queues.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { storeInboxEvent } from "~/services/ingest/inbox-group-commit.server";
import type { InboxDelivery } from "~/services/ingest/inbox.server";
import { TEST_SHOP } from "../support/deliveries";

/**
 * Group commit (issue 15, cost per order): concurrent deliveries share one INSERT and one addBulk, and each
 * still gets its own answer: its row's id once committed, "duplicate" for a redelivery, or its own error.
 */
let shopId: string;
beforeAll(async () => {
  await connectQueues();
  shopId = (await ensureShopifyShop(db(), TEST_SHOP)).id;
});

const delivery = (overrides: Partial<InboxDelivery> = {}): InboxDelivery => ({
  shopId,
  connectionId: null,
  platform: "shopify",
  eventKey: randomUUID(),
  topic: "orders/paid",
  headers: { "x-shopify-topic": "orders/paid", "content-type": "application/json" },
  rawBody: JSON.stringify({ id: 1, note: 'quotes " and \\ backslashes, {braces}, commas' }),
  triggeredAt: new Date("2026-12-05T10:00:00Z"),
  ...overrides,
});

const store = (d: InboxDelivery) => storeInboxEvent(pgPool(), queues(), d, coreConfig().JOB_ATTEMPTS);

async function transactions(): Promise<number> {
  const { rows } = await pgPool().query<{ n: string }>(`SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()`);
  return Number(rows[0]!.n);
}

describe("inbox group commit", () => {
  it("stores concurrent deliveries in a few statements, each row as sent, each committed and enqueued before its answer", async () => {
    const sent = Array.from({ length: 40 }, () => delivery());
    const before = await transactions();
    const results = await Promise.all(sent.map(store));
    const statements = (await transactions()) - before;
    // pg_stat_database counts with a delay and includes this test's own reads: far fewer than one per delivery.
    expect(statements).toBeLessThan(20);

    expect(results.every((result) => result.inserted && result.eventId)).toBe(true);
    const rows = await db().webhookEvent.findMany({ where: { eventKey: { in: sent.map((d) => d.eventKey) } } });
    expect(rows).toHaveLength(40);
    for (const [index, result] of results.entries()) {
      const row = rows.find((r) => r.id === result.eventId)!;
      expect(row).toMatchObject({ eventKey: sent[index]!.eventKey, rawBody: sent[index]!.rawBody, status: "pending", topic: "orders/paid" });
      expect(row.headers).toEqual(sent[index]!.headers);
      expect(row.triggeredAt?.toISOString()).toBe("2026-12-05T10:00:00.000Z");
      expect(await queues().events.getJob(result.eventId!)).toBeTruthy();
    }
  });

  it("answers a redelivery in the same batch and a later one as duplicates of the one row", async () => {
    const first = delivery();
    const results = await Promise.all([store(first), store({ ...first }), store({ ...first })]);
    expect(results.filter((result) => result.inserted)).toHaveLength(1);
    expect(results.filter((result) => !result.inserted).every((result) => result.eventId === null)).toBe(true);
    expect(await store({ ...first })).toEqual({ eventId: null, inserted: false });
    expect(await db().webhookEvent.count({ where: { eventKey: first.eventKey } })).toBe(1);
  });

  it("fails only the delivery whose shop is gone; the others in its batch are stored", async () => {
    const good = Array.from({ length: 5 }, () => delivery());
    const orphan = delivery({ shopId: randomUUID() });
    const settled = await Promise.allSettled([...good.slice(0, 2), orphan, ...good.slice(2)].map(store));
    expect(settled[2]).toMatchObject({ status: "rejected", reason: { code: "23503" } });
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(5);
    expect(await db().webhookEvent.count({ where: { eventKey: { in: good.map((d) => d.eventKey) } } })).toBe(5);
  });

  it("keeps a rejected delivery's status and reason and queues no job for it", async () => {
    const [result] = await Promise.all([store(delivery({ status: "rejected", lastError: "the body is not valid JSON" })), store(delivery())]);
    const row = await db().webhookEvent.findUniqueOrThrow({ where: { id: result!.eventId! } });
    expect(row).toMatchObject({ status: "rejected", lastError: "the body is not valid JSON" });
    expect(await queues().events.getJob(row.id)).toBeFalsy();
  });
});
