import { UnrecoverableError, type Job } from "bullmq";
import type pg from "pg";
import type { Db } from "~/db.server";
import type { ProcessEventJob } from "~/queues.server";
import { processInboxEvent, recordFailedAttempt } from "~/services/inbox/process-event.server";

export async function processEvent(db: Db, pool: pg.Pool, job: Job<ProcessEventJob>, limits: { maxAttempts: number; leaseMs?: number }) {
  const { eventId, shopId } = job.data;
  try {
    const result = await processInboxEvent(db, pool, eventId, shopId, { leaseMs: limits.leaseMs });
    // An invalid payload is dead on arrival: tell BullMQ not to spend retries on it.
    if (result.outcome === "invalid") throw new UnrecoverableError(result.error);
    return result;
  } catch (error) {
    if (error instanceof UnrecoverableError) throw error;
    const attempts = job.opts.attempts ?? limits.maxAttempts;
    await recordFailedAttempt(db, eventId, shopId, error, job.attemptsMade + 1 >= attempts);
    throw error;
  }
}
