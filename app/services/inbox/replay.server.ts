import type { Db } from "~/db.server";
import { eventJobOptions, type Queues } from "~/queues.server";

export class ReplayRefused extends Error {
  override name = "ReplayRefused";
}

/**
 * Gives a dead or failed event another run, at a merchant's request (after fixing a SKU mapping, say). The
 * row goes back to pending and a fresh job is queued; processing stays idempotent, so replaying an event whose
 * effects partly exist cannot double them. Audited.
 */
export async function replayEvent(db: Db, queues: Queues, shopId: string, eventId: string, actor: string, attempts: number) {
  const updated = await db.webhookEvent.updateMany({
    where: { id: eventId, shopId, status: { in: ["dead", "failed"] } },
    data: { status: "pending", attempts: 0, lastError: null },
  });
  if (updated.count === 0) throw new ReplayRefused("Only failed events can be replayed.");
  await db.auditLog.create({ data: { shopId, actor, action: "webhook_event.replay", entityType: "WebhookEvent", entityId: eventId } });
  // The failed job keeps its id in Redis; remove it so the new one is not taken for a duplicate.
  await queues.events.remove(eventId).catch(() => 0);
  await queues.events.add("process-event", { eventId, shopId }, eventJobOptions(eventId, attempts));
}

export interface EventListFilter {
  status?: "pending" | "processing" | "processed" | "failed" | "dead" | "rejected" | "ignored";
  take?: number;
}

export async function listEvents(db: Db, shopId: string, filter: EventListFilter = {}) {
  return db.webhookEvent.findMany({
    where: { shopId, ...(filter.status ? { status: filter.status } : {}) },
    orderBy: { receivedAt: "desc" },
    take: filter.take ?? 50,
    select: { id: true, platform: true, topic: true, status: true, attempts: true, lastError: true, receivedAt: true, processedAt: true },
  });
}
