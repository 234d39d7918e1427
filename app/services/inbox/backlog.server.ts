import type { Db } from "~/db.server";

export interface InboxBacklog {
  /** Rows the workers still owe this shop: waiting, being processed, or waiting for a retry. */
  readonly waiting: number;
  /** The oldest row still pending (ISO time and age), or null when nothing waits. */
  readonly oldestPending: {
    readonly id: string;
    readonly topic: string;
    readonly platform: string;
    readonly receivedAt: string;
    readonly ageSeconds: number;
  } | null;
}

/**
 * The shop's inbox backlog, for the admin dashboard: what /metrics shows the operator for all shops
 * (upline_inbox_backlog, upline_inbox_oldest_pending_seconds), shown to the merchant for theirs.
 */
export async function inboxBacklog(db: Db, shopId: string, now = new Date()): Promise<InboxBacklog> {
  const [waiting, oldest] = await Promise.all([
    db.webhookEvent.count({ where: { shopId, status: { in: ["pending", "processing", "failed"] } } }),
    db.webhookEvent.findFirst({
      where: { shopId, status: "pending" },
      orderBy: { receivedAt: "asc" },
      select: { id: true, topic: true, platform: true, receivedAt: true },
    }),
  ]);
  return {
    waiting,
    oldestPending: oldest
      ? {
          id: oldest.id,
          topic: oldest.topic,
          platform: oldest.platform,
          receivedAt: oldest.receivedAt.toISOString(),
          ageSeconds: Math.max(0, Math.floor((now.getTime() - oldest.receivedAt.getTime()) / 1000)),
        }
      : null,
  };
}
