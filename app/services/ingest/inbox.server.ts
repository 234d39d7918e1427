import type { Db } from "~/db.server";
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

/**
 * One row per event, whatever the number of deliveries: the unique key and `ON CONFLICT DO NOTHING` make
 * concurrent duplicates collapse in the database, where no race between check and insert exists.
 */
export async function insertInboxEvent(db: Db, delivery: InboxDelivery): Promise<InboxInsert> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO "WebhookEvent" ("shopId", "connectionId", "platform", "eventKey", "topic", "status", "headers",
      "rawBody", "triggeredAt", "lastError")
    VALUES (${delivery.shopId}::uuid, ${delivery.connectionId}::uuid, ${delivery.platform}::"Platform",
      ${delivery.eventKey}, ${delivery.topic}, ${delivery.status ?? "pending"}::"WebhookEventStatus",
      ${JSON.stringify(delivery.headers)}::jsonb, ${delivery.rawBody}, ${delivery.triggeredAt}, ${delivery.lastError ?? null})
    ON CONFLICT ("shopId", "platform", "eventKey") DO NOTHING
    RETURNING "id"`;
  const id = rows[0]?.id ?? null;
  return { eventId: id, inserted: id !== null };
}

const ENQUEUE_TIMEOUT_MS = 1_000;

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
    logger.warn({ eventId, err: error instanceof Error ? error.message : String(error) }, "enqueue failed; the sweeper will retry");
    return false;
  } finally {
    clearTimeout(timer);
  }
}
