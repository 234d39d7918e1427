import type { Db } from "~/db.server";
import { eventJobOptions, type Queues } from "~/queues.server";
import { logger } from "~/logger.server";

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
 * The inbox, not Redis, is the source of truth: every row still waiting after `staleAfterMs` (and past its
 * claim's lease) is handed to the queue again. The job id is the row id, so a job still on its way (waiting,
 * delayed for a retry, active) absorbs the re-add; a job BullMQ has finished with (failed after its attempts,
 * say through a PostgreSQL outage or two stalls; or completed without processing the row) is removed first,
 * since BullMQ keeps it for days and would silently ignore an add under its id. The processor skips rows
 * already processed.
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
    where: {
      status: { in: ["pending", "failed", "processing"] },
      updatedAt: { lt: staleBefore },
      OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date() } }],
    },
    select: { id: true, shopId: true },
    orderBy: { updatedAt: "asc" },
    take: batchSize,
  });
  if (rows.length === 0) return 0;
  await Promise.all(rows.map((row) => removeFinishedJob(queues, row.id)));
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

/**
 * Removes the event's job when BullMQ is done with it (failed or completed: it has `finishedOn`). A job that
 * is waiting, delayed or active is left alone: it will run, and the re-add under its id is a no-op.
 */
export async function removeFinishedJob(queues: Queues, eventId: string): Promise<void> {
  const job = await queues.events.getJob(eventId);
  if (!job?.finishedOn) return;
  try {
    await job.remove();
  } catch (error) {
    // Taken meanwhile (a replay re-added it): that job is alive, so the re-add may be absorbed.
    logger.warn({ eventId, err: error instanceof Error ? error.message : String(error) }, "could not remove a finished job");
  }
}
