import type { Pool } from "pg";
import type { Platform } from "~/domain/platforms/normalized";
import { eventJobOptions, type Queues } from "~/queues.server";
import { logger } from "~/logger.server";

export interface InboxDelivery {
  shopId: string;
  connectionId: string | null;
  platform: Platform;
  eventKey: string;
  topic: string;
  headers: Record<string, string>;
  rawBody: string;
  triggeredAt: Date | null;
  status?: "pending" | "rejected" | "ignored";
  lastError?: string | null;
}

export interface InboxInsert {
  eventId: string | null;
  /** False when this (shop, platform, event key) was already in the inbox: a redelivery. */
  inserted: boolean;
}

const INSERT_INBOX_EVENT = `
  INSERT INTO "WebhookEvent" ("shopId", "connectionId", "platform", "eventKey", "topic", "status", "headers",
    "rawBody", "triggeredAt", "lastError", "updatedAt")
  VALUES ($1::uuid, $2::uuid, $3::"Platform", $4, $5, $6::"WebhookEventStatus", $7::jsonb, $8, $9, $10, now())
  ON CONFLICT ("shopId", "platform", "eventKey") DO NOTHING
  RETURNING "id"`;

/**
 * One row per event, whatever the number of deliveries: the unique key and `ON CONFLICT DO NOTHING` make
 * concurrent duplicates collapse in the database, where no race between check and insert exists.
 * It runs on the pg pool under Prisma, as a named prepared statement: this is the statement every delivery
 * pays for, and Prisma's per-query compile step was a fifth of the ingest route's CPU.
 */
export async function insertInboxEvent(pool: Pool, delivery: InboxDelivery): Promise<InboxInsert> {
  const result = await pool.query<{ id: string }>({
    // PGlite (the embedded default) is one session shared by every connection, where a statement name
    // prepared by one connection collides with the next; there the statement goes unnamed.
    name: process.env.UPLINE_EMBEDDED_DATABASE === "1" ? undefined : "upline_insert_inbox_event",
    text: INSERT_INBOX_EVENT,
    values: [
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
    ],
  });
  const id = result.rows[0]?.id ?? null;
  return { eventId: id, inserted: id !== null };
}

export const ENQUEUE_TIMEOUT_MS = 1_000;

/**
 * Hands a stored event to the queue. A Redis failure is logged, not raised: the row is already durable and the
 * sweeper will enqueue it, so the sender still gets its 200 and does not retry needlessly.
 */
export async function enqueueInboxEvent(queues: Queues, eventId: string, shopId: string, attempts: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    // BullMQ waits for a connection that is down; the sender must not wait with it.
    await Promise.race([
      queues.events.add("process-event", { eventId, shopId }, eventJobOptions(eventId, attempts)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch (error) {
    logger.warn({ eventId, err: error }, "enqueue failed; the sweeper will retry");
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export interface InboxBatch {
  shopId: string;
  connectionId: string | null;
  platform: Platform;
  topic: string;
  headers: Record<string, string>;
  rows: readonly { eventKey: string; rawBody: string }[];
}

const INSERT_INBOX_EVENTS = `
  INSERT INTO "WebhookEvent" ("shopId", "connectionId", "platform", "eventKey", "topic", "status", "headers",
    "rawBody", "triggeredAt", "lastError", "updatedAt")
  SELECT $1::uuid, $2::uuid, $3::"Platform", t.event_key, $4, 'pending'::"WebhookEventStatus", $5::jsonb, t.raw_body, NULL, NULL, now()
  FROM unnest($6::text[], $7::text[]) AS t(event_key, raw_body)
  ON CONFLICT ("shopId", "platform", "eventKey") DO NOTHING
  RETURNING "id"`;

/**
 * Many events of one source in one statement (a backfill's page): the same unique key and ON CONFLICT DO NOTHING
 * as one delivery, so a key already in the inbox is skipped. Returns the ids of the rows this call inserted.
 */
export async function insertInboxEvents(pool: Pool, batch: InboxBatch): Promise<string[]> {
  if (batch.rows.length === 0) return [];
  const result = await pool.query<{ id: string }>(INSERT_INBOX_EVENTS, [
    batch.shopId,
    batch.connectionId,
    batch.platform,
    batch.topic,
    JSON.stringify(batch.headers),
    batch.rows.map((row) => row.eventKey),
    batch.rows.map((row) => row.rawBody),
  ]);
  return result.rows.map((row) => row.id);
}

/** Hands many stored events to the queue at once; on failure the sweeper picks them up, as for one. */
export async function enqueueInboxEvents(queues: Queues, eventIds: readonly string[], shopId: string, attempts: number): Promise<boolean> {
  if (eventIds.length === 0) return true;
  try {
    await queues.events.addBulk(eventIds.map((eventId) => ({ name: "process-event", data: { eventId, shopId }, opts: eventJobOptions(eventId, attempts) })));
    return true;
  } catch (error) {
    logger.warn({ events: eventIds.length, err: error }, "bulk enqueue failed; the sweeper will retry");
    return false;
  }
}
