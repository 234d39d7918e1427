import type { Db } from "~/db.server";
import { eventJobOptions, type Queues } from "~/queues.server";
import { replayVerdict, type InboxStatus } from "~/domain/inbox/replay-rule";
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

export interface ReplayManyResult {
  readonly queued: number;
  /** Events of the selection not replayed, each with why (unknown ids are "not found"). */
  readonly refused: readonly { readonly id: string; readonly reason: string }[];
}

/** The admin's bulk replay: each selected event the rule allows is queued again, the others say why not. */
export async function replayEvents(
  db: Db,
  queues: Queues,
  shopId: string,
  eventIds: readonly string[],
  actor: string,
  attempts: number,
): Promise<ReplayManyResult> {
  const rows = await db.webhookEvent.findMany({
    where: { shopId, id: { in: [...eventIds] } },
    select: { id: true, status: true, lastError: true, receivedAt: true },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const now = new Date();
  let queued = 0;
  const refused: { id: string; reason: string }[] = [];
  for (const id of eventIds) {
    const row = byId.get(id);
    const verdict = row ? replayVerdict(row, now) : { replayable: false as const, reason: "Not found." };
    if (!verdict.replayable) {
      refused.push({ id, reason: verdict.reason });
      continue;
    }
    try {
      await replayEvent(db, queues, shopId, id, actor, attempts);
      queued += 1;
    } catch (error) {
      if (!(error instanceof ReplayRefused)) throw error;
      refused.push({ id, reason: "It was picked up meanwhile." });
    }
  }
  return { queued, refused };
}

export interface EventListFilter {
  status?: InboxStatus;
  platform?: "shopify" | "woocommerce" | "magento" | "api";
  /** Exact topic, e.g. "orders/paid". */
  topic?: string;
  /** Keyset cursor: events received before this one (newest first). */
  before?: { receivedAt: Date; id: string };
  take?: number;
}

/** Newest first, one page; served by the (shopId, receivedAt) index whatever the filter. */
export async function listEvents(db: Db, shopId: string, filter: EventListFilter = {}) {
  const before = filter.before;
  return db.webhookEvent.findMany({
    where: {
      shopId,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.platform ? { platform: filter.platform } : {}),
      ...(filter.topic ? { topic: filter.topic } : {}),
      ...(before ? { OR: [{ receivedAt: { lt: before.receivedAt } }, { receivedAt: before.receivedAt, id: { lt: before.id } }] } : {}),
    },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: filter.take ?? 50,
    select: { id: true, platform: true, topic: true, status: true, attempts: true, lastError: true, receivedAt: true, processedAt: true },
  });
}

/** Everything the merchant needs to understand one event: the body as received, the error, what it produced. */
export async function eventDetail(db: Db, shopId: string, eventId: string) {
  const event = await db.webhookEvent.findFirst({
    where: { id: eventId, shopId },
    select: {
      id: true,
      platform: true,
      topic: true,
      eventKey: true,
      status: true,
      attempts: true,
      lastError: true,
      receivedAt: true,
      processedAt: true,
      headers: true,
      rawBody: true,
      normalized: true,
    },
  });
  if (!event) return null;
  const platformOrderId = orderIdOf(event.normalized);
  const [order, replays] = await Promise.all([
    db.order.findFirst({
      where: {
        shopId,
        OR: [{ sourceEventId: event.id }, ...(platformOrderId && event.platform !== "api" ? [{ platform: event.platform, platformOrderId }] : [])],
      },
      select: { id: true, platformOrderId: true, orderNumber: true, status: true, totalMinor: true, currency: true, referralCode: true },
    }),
    db.auditLog.findMany({
      where: { shopId, entityType: "WebhookEvent", entityId: event.id, action: "webhook_event.replay" },
      orderBy: { createdAt: "desc" },
      select: { actor: true, createdAt: true },
    }),
  ]);
  return { event, order, replays, verdict: replayVerdict(event, new Date()) };
}

/** The order an order or refund event names (NormalizedOrder / NormalizedRefund both carry platformOrderId). */
function orderIdOf(normalized: unknown): string | null {
  if (normalized === null || typeof normalized !== "object") return null;
  const value = (normalized as { platformOrderId?: unknown }).platformOrderId;
  return typeof value === "string" && value.length > 0 ? value : null;
}
