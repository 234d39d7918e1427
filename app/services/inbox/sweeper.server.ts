import type { Db } from "~/db.server";
import { eventJobOptions, type Queues } from "~/queues.server";

export interface SweepOptions {
  /** Rows untouched for this long are assumed to have lost their job (Redis down at ingest, worker killed). */
  staleAfterMs: number;
  attempts: number;
  batchSize?: number;
  /** Bounds one run; the next run goes on where this one stopped. */
  maxBatches?: number;
}

export interface SweepResult {
  requeued: number;
}

/**
 * The inbox, not Redis, is the source of truth: every row still waiting after `staleAfterMs` is handed to the
 * queue again. Re-adding is safe because the job id is the row id (BullMQ ignores a duplicate id) and the
 * processor skips rows already processed.
 * One run takes every stale row, batch after batch: after a Redis outage the backlog is the worker's to drain
 * at its own pace, not one batch per interval (500 per 30 s held a 100 orders/s shop to ~8 orders/s).
 */
export async function sweepInbox(db: Db, queues: Queues, options: SweepOptions): Promise<SweepResult> {
  const staleBefore = new Date(Date.now() - options.staleAfterMs);
  const batchSize = options.batchSize ?? 500;
  let requeued = 0;
  for (let batch = 0; batch < (options.maxBatches ?? 200); batch++) {
    const rows = await requeueBatch(db, queues, staleBefore, batchSize, options.attempts);
    requeued += rows;
    if (rows < batchSize) break;
  }
  return { requeued };
}

async function requeueBatch(db: Db, queues: Queues, staleBefore: Date, batchSize: number, attempts: number): Promise<number> {
  const rows = await db.webhookEvent.findMany({
    where: { status: { in: ["pending", "failed", "processing"] }, updatedAt: { lt: staleBefore } },
    select: { id: true, shopId: true },
    orderBy: { updatedAt: "asc" },
    take: batchSize,
  });
  if (rows.length === 0) return 0;
  await queues.events.addBulk(
    rows.map((row) => ({
      name: "process-event",
      data: { eventId: row.id, shopId: row.shopId },
      opts: eventJobOptions(row.id, attempts),
    })),
  );
  // Touching the rows spaces out the next sweep of the same rows by another staleAfterMs, and takes them out
  // of this run's next batch.
  await db.webhookEvent.updateMany({
    where: { id: { in: rows.map((row) => row.id) }, status: { in: ["pending", "failed", "processing"] } },
    data: { updatedAt: new Date() },
  });
  return rows.length;
}
