import type { Db } from "~/db.server";
import { eventJobOptions, type Queues } from "~/queues.server";
import { removeFinishedJob } from "./sweeper.server";

export class ReplayRefused extends Error {
  override name = "ReplayRefused";
}

/**
 * Gives an event that is not done another run, at a merchant's request (after fixing a SKU mapping, say): a
 * dead or failed one, and a stuck one (pending, or processing with no live claim: its worker died). A row being
 * processed right now (its claim's lease is live) is refused. The row goes back to pending and a fresh job is
 * queued; processing stays idempotent, so replaying an event whose effects partly exist cannot double them.
 * Audited.
 */
export async function replayEvent(db: Db, queues: Queues, shopId: string, eventId: string, actor: string, attempts: number) {
  const updated = await db.webhookEvent.updateMany({
    where: {
      id: eventId,
      shopId,
      OR: [{ status: { in: ["dead", "failed", "pending"] } }, { status: "processing", OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date() } }] }],
    },
    data: { status: "pending", attempts: 0, lastError: null, leaseUntil: null },
  });
  if (updated.count === 0) throw new ReplayRefused("Only events not yet processed (failed, dead or stuck) can be replayed.");
  await db.auditLog.create({ data: { shopId, actor, action: "webhook_event.replay", entityType: "WebhookEvent", entityId: eventId } });
  // A job BullMQ finished with keeps its id in Redis for days; remove it so the new one is not taken for a
  // duplicate. A job still waiting or running is left: it takes the row.
  await removeFinishedJob(queues, eventId);
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
