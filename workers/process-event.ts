import { UnrecoverableError, type Job } from "bullmq";
import type pg from "pg";
import type { Db } from "~/db.server";
import type { ProcessEventJob } from "~/queues.server";
import { processInboxEvent, recordFailedAttempt, type ProcessOutcome } from "~/services/inbox/process-event.server";
import { logger } from "~/logger.server";
import { queueCouponSyncForShop } from "~/services/shopify/admin-jobs.server";

/** What a log line says of an outcome: the order (and refund) ids when the event was one, never the payload. */
function outcomeFields(result: ProcessOutcome): Record<string, unknown> {
  if (result.outcome !== "processed")
    return { outcome: result.outcome, ...("reason" in result ? { reason: result.reason } : {}), ...("error" in result ? { error: result.error } : {}) };
  const detail = result.detail ?? {};
  return { outcome: result.outcome, kind: result.kind, orderId: detail.orderId, refundId: detail.refundId };
}

export async function processEvent(db: Db, pool: pg.Pool, job: Job<ProcessEventJob>, limits: { maxAttempts: number; leaseMs?: number }) {
  const { eventId, shopId } = job.data;
  try {
    const started = performance.now();
    const result = await processInboxEvent(db, pool, eventId, shopId, { leaseMs: limits.leaseMs });
    logger.info({ eventId, shopId, attempt: job.attemptsMade + 1, ms: Math.round(performance.now() - started), ...outcomeFields(result) }, "inbox event done");
    // An invalid payload is dead on arrival: tell BullMQ not to spend retries on it.
    if (result.outcome === "invalid") throw new UnrecoverableError(result.error);
    // customers/redact committed: the redacted affiliates' Shopify coupons are deleted by the Admin API job.
    if (
      result.outcome === "processed" &&
      Array.isArray(result.detail?.distributorIds) &&
      result.detail.distributorIds.length > 0 &&
      "redactedOrders" in result.detail
    )
      await queueCouponSyncForShop(db, shopId);
    return result;
  } catch (error) {
    if (error instanceof UnrecoverableError) throw error;
    const attempts = job.opts.attempts ?? limits.maxAttempts;
    logger.warn({ eventId, shopId, attempt: job.attemptsMade + 1, of: attempts, err: error }, "inbox event failed");
    await recordFailedAttempt(db, eventId, shopId, error, job.attemptsMade + 1 >= attempts);
    throw error;
  }
}
