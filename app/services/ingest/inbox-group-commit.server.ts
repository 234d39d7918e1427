import type { Pool } from "pg";
import { eventJobOptions, type Queues } from "~/queues.server";
import { logger } from "~/logger.server";
import { ENQUEUE_TIMEOUT_MS, insertInboxEvent, type InboxDelivery, type InboxInsert } from "./inbox.server";

/**
 * Group commit of inbox inserts: the deliveries that arrive while the previous statement is in flight are
 * written by the next one, as one multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING` (one round trip, one
 * commit, one WAL flush), and their jobs are added in one Redis pipeline (`addBulk`). Each delivery's promise
 * settles only after the statement holding its row has committed (and its enqueue was tried), so a 200 still
 * means "durable". No delivery waits for a timer: with nothing in flight a batch leaves at the end of the
 * current event-loop turn, so at low rates it is a batch of one and costs what one INSERT did.
 *
 * Measured (bench/profile-ingest.ts, 32 concurrent deliveries): one PostgreSQL transaction and one Redis
 * round trip per batch instead of per delivery; socket writes were the largest single cost of the web.
 */

interface Pending {
  delivery: InboxDelivery;
  queues: Queues;
  attempts: number;
  resolve(result: InboxInsert): void;
  reject(error: unknown): void;
}

/** At most this many statements in flight per pool: the rest of the pool stays free for everything else. */
const MAX_IN_FLIGHT = 2;
/** Rows per statement: a bound on one statement's size (bodies are up to INGEST_MAX_BODY_BYTES each). */
const MAX_BATCH = 200;

const COLUMNS = 10;

/**
 * One VALUES row per delivery, each value its own parameter: the bodies go to PostgreSQL as they are (as
 * `text[]` parameters they were escaped into an array literal, a copy of every body and a measurable share
 * of the web's CPU and garbage). The text varies with the row count, so it goes unnamed (parsed per batch).
 */
const insertTexts = new Map<number, string>();

function insertRowsText(rows: number): string {
  const cached = insertTexts.get(rows);
  if (cached) return cached;
  const values: string[] = [];
  for (let row = 0; row < rows; row++) {
    const p = (column: number) => `$${row * COLUMNS + column}`;
    values.push(
      `(${p(1)}::uuid, ${p(2)}::uuid, ${p(3)}::"Platform", ${p(4)}, ${p(5)}, ${p(6)}::"WebhookEventStatus", ${p(7)}::jsonb, ${p(8)}, ${p(9)}::timestamptz, ${p(10)}, now())`,
    );
  }
  const text = `INSERT INTO "WebhookEvent" ("shopId", "connectionId", "platform", "eventKey", "topic", "status", "headers",
    "rawBody", "triggeredAt", "lastError", "updatedAt")
  VALUES ${values.join(", ")}
  ON CONFLICT ("shopId", "platform", "eventKey") DO NOTHING
  RETURNING "id", "shopId", "platform"::text AS platform, "eventKey"`;
  insertTexts.set(rows, text);
  return text;
}

const keyOf = (shopId: string, platform: string, eventKey: string) => `${shopId}\u0000${platform}\u0000${eventKey}`;

class InboxWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly pool: Pool) {}

  write(delivery: InboxDelivery, queues: Queues, attempts: number): Promise<InboxInsert> {
    return new Promise((resolve, reject) => {
      this.queue.push({ delivery, queues, attempts, resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= MAX_IN_FLIGHT) return;
    this.scheduled = true;
    // The end of this turn: every delivery whose body completed in the same I/O poll joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush() {
    if (this.queue.length === 0 || this.inFlight >= MAX_IN_FLIGHT) return;
    const batch = this.queue.splice(0, MAX_BATCH);
    this.inFlight++;
    this.commit(batch).finally(() => {
      this.inFlight--;
      this.schedule();
    });
    this.schedule();
  }

  private async commit(batch: Pending[]): Promise<void> {
    let results: (InboxInsert | { error: unknown })[];
    try {
      results = batch.length === 1 ? [await insertInboxEvent(this.pool, batch[0]!.delivery)] : await this.insertMany(batch);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One row's failure (its shop erased since it was cached: a foreign key) fails the statement: each row
      // again on its own, so only that delivery sees the error and the others are stored.
      results = await Promise.all(batch.map((pending) => insertInboxEvent(this.pool, pending.delivery).catch((rowError: unknown) => ({ error: rowError }))));
    }
    await this.enqueue(batch, results);
    batch.forEach((pending, index) => {
      const result = results[index]!;
      if ("error" in result) pending.reject(result.error);
      else pending.resolve(result);
    });
  }

  private async insertMany(batch: Pending[]): Promise<InboxInsert[]> {
    const values: unknown[] = [];
    for (const { delivery } of batch) {
      values.push(
        delivery.shopId,
        delivery.connectionId,
        delivery.platform,
        delivery.eventKey,
        delivery.topic,
        delivery.status ?? "pending",
        JSON.stringify(delivery.headers),
        delivery.rawBody,
        delivery.triggeredAt,
        delivery.lastError ?? null,
      );
    }
    const { rows } = await this.pool.query<{ id: string; shopId: string; platform: string; eventKey: string }>(insertRowsText(batch.length), values);
    const ids = new Map(rows.map((row) => [keyOf(row.shopId, row.platform, row.eventKey), row.id]));
    // Two deliveries of one event in one batch: the first takes the row, the second is the redelivery.
    return batch.map(({ delivery }) => {
      const key = keyOf(delivery.shopId, delivery.platform, delivery.eventKey);
      const eventId = ids.get(key) ?? null;
      ids.delete(key);
      return { eventId, inserted: eventId !== null };
    });
  }

  /** The batch's new pending rows, one `addBulk` per queue set; a Redis failure is the sweeper's, as for one. */
  private async enqueue(batch: Pending[], results: (InboxInsert | { error: unknown })[]): Promise<void> {
    const byQueues = new Map<Queues, { eventId: string; shopId: string; attempts: number }[]>();
    batch.forEach((pending, index) => {
      const result = results[index]!;
      if ("error" in result || !result.inserted || !result.eventId || (pending.delivery.status ?? "pending") !== "pending") return;
      const jobs = byQueues.get(pending.queues) ?? [];
      jobs.push({ eventId: result.eventId, shopId: pending.delivery.shopId, attempts: pending.attempts });
      byQueues.set(pending.queues, jobs);
    });
    await Promise.all([...byQueues].map(([queues, jobs]) => addJobs(queues, jobs)));
  }
}

async function addJobs(queues: Queues, jobs: { eventId: string; shopId: string; attempts: number }[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    // BullMQ waits for a connection that is down; the senders must not wait with it.
    await Promise.race([
      queues.events.addBulk(
        jobs.map(({ eventId, shopId, attempts }) => ({ name: "process-event", data: { eventId, shopId }, opts: eventJobOptions(eventId, attempts) })),
      ),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    logger.warn({ eventIds: jobs.map((job) => job.eventId), err: error }, "enqueue failed; the sweeper will retry");
  } finally {
    clearTimeout(timer);
  }
}

const writers = new WeakMap<Pool, InboxWriter>();

/**
 * Stores one delivery through its pool's group commit and, when its row is new and pending, enqueues its job.
 * Resolves after the row is committed; rejects with the database's error for this row alone.
 */
export function storeInboxEvent(pool: Pool, queues: Queues, delivery: InboxDelivery, attempts: number): Promise<InboxInsert> {
  let writer = writers.get(pool);
  if (!writer) {
    writer = new InboxWriter(pool);
    writers.set(pool, writer);
  }
  return writer.write(delivery, queues, attempts);
}
