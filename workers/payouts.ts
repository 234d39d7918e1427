/**
 * The payouts worker: executes approved runs (app/services/payouts/execute.server.ts). A run whose provider
 * has not finished every item (PayPal's asynchronous statuses) is asked again after PAYOUT_POLL_MS; an
 * unreachable provider fails the job, which BullMQ retries with backoff, with the same idempotency keys.
 */
import { Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Db } from "~/db.server";
import { logger } from "~/logger.server";
import { executePayoutRun } from "~/services/payouts/execute.server";
import { providersFromEnv } from "~/services/payouts/providers/index.server";
import { createPayoutsQueue, executeJobOptions, PAYOUTS_QUEUE, type ExecutePayoutRunJob } from "~/services/payouts/queue.server";

export function startPayoutsWorker(db: Db, connection: Redis, prefix: string) {
  const queue = createPayoutsQueue(connection, prefix);
  const pollMs = Number(process.env.PAYOUT_POLL_MS ?? 60_000);
  const worker = new Worker<ExecutePayoutRunJob>(
    PAYOUTS_QUEUE,
    async (job: Job<ExecutePayoutRunJob>) => {
      const result = await executePayoutRun(db, job.data.shopId, job.data.runId, providersFromEnv());
      if (result.awaitingProvider > 0) await queue.add("execute", job.data, executeJobOptions(job.data.runId, pollMs));
      logger.info({ runId: job.data.runId, ...result }, "payout run executed");
      return result;
    },
    { connection, prefix, concurrency: 2 },
  );
  worker.on("failed", (job, error) => logger.warn({ job: job?.id, err: error.message }, "payout job failed"));
  worker.on("error", (error) => logger.error({ err: error.message }, "payouts worker error"));
  return {
    async close(force: boolean) {
      await worker.close(force);
      await queue.close();
    },
  };
}
