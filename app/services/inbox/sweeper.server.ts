import type { Db } from "~/db.server";
import { eventJobOptions, type Queues } from "~/queues.server";

export interface SweepOptions {
  /** Rows untouched for this long are assumed to have lost their job (Redis down at ingest, worker killed). */
  staleAfterMs: number;
  attempts: number;
  batchSize?: number;
}

export interface SweepResult {
  requeued: number;
}

/**
 * The inbox, not Redis, is the source of truth: every row still waiting after `staleAfterMs` is handed to the
 * queue again. Re-adding is safe because the job id is the row id (BullMQ ignores a duplicate id) and the
 * processor skips rows already processed.
 */
export async function sweepInbox(db: Db, queues: Queues, options: SweepOptions): Promise<SweepResult> {
  const staleBefore = new Date(Date.now() - options.staleAfterMs);
  const rows = await db.webhookEvent.findMany({
    where: { status: { in: ["pending", "failed", "processing"] }, updatedAt: { lt: staleBefore } },
    select: { id: true, shopId: true },
    orderBy: { updatedAt: "asc" },
    take: options.batchSize ?? 500,
  });
  if (rows.length === 0) return { requeued: 0 };
  await queues.events.addBulk(
    rows.map((row) => ({
      name: "process-event",
      data: { eventId: row.id, shopId: row.shopId },
      opts: eventJobOptions(row.id, options.attempts),
    })),
  );
  // Touching the rows spaces out the next sweep of the same rows by another staleAfterMs.
  await db.webhookEvent.updateMany({
    where: { id: { in: rows.map((row) => row.id) }, status: { in: ["pending", "failed", "processing"] } },
    data: { updatedAt: new Date() },
  });
  return { requeued: rows.length };
}
