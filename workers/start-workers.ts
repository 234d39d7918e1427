import { Worker } from "bullmq";
import type { CoreConfig } from "~/config.server";
import { db } from "~/db.server";
import { createRedis } from "~/redis.server";
import { createQueues, MAINTENANCE_JOBS, QUEUE_NAMES, type ProcessEventJob } from "~/queues.server";
import { logger } from "~/logger.server";
import { processEvent } from "./process-event";
import { runMaintenanceJob } from "./maintenance";
import { HOLD_RELEASE_EVERY_MS } from "./holds";
import { RECONCILE_EVERY_MS, STRANDED_REFUNDS_EVERY_MS } from "./reconcile";
import { WOO_BACKFILL_EVERY_MS } from "./woo-backfill";

export interface RunningWorkers {
  close(force: boolean): Promise<void>;
}

/** Starts the consumers and schedules the repeatable jobs; shared by the worker process and the tests. */
export async function startWorkers(settings: CoreConfig): Promise<RunningWorkers> {
  const connection = createRedis(settings.REDIS_URL, "worker");
  connection.on("error", (error) => logger.warn({ err: error.message }, "redis connection error"));
  const prefix = settings.REDIS_PREFIX;
  const queues = createQueues(connection, prefix);
  const prisma = db();

  const eventWorker = new Worker<ProcessEventJob>(
    QUEUE_NAMES.events,
    (job) => processEvent(prisma, job, { maxAttempts: settings.JOB_ATTEMPTS }),
    { connection, prefix, concurrency: settings.WORKER_CONCURRENCY },
  );
  const maintenanceWorker = new Worker(
    QUEUE_NAMES.maintenance,
    (job) => runMaintenanceJob(prisma, queues, settings, job),
    { connection, prefix, concurrency: 1 },
  );
  for (const worker of [eventWorker, maintenanceWorker]) {
    worker.on("failed", (job, error) => logger.warn({ job: job?.id, name: job?.name, err: error.message }, "job failed"));
    worker.on("error", (error) => logger.error({ err: error.message }, "worker error"));
  }

  await queues.maintenance.upsertJobScheduler(
    MAINTENANCE_JOBS.sweepInbox,
    { every: settings.SWEEPER_INTERVAL_MS },
    { name: MAINTENANCE_JOBS.sweepInbox },
  );
  await queues.maintenance.upsertJobScheduler(
    MAINTENANCE_JOBS.releaseHolds,
    { every: HOLD_RELEASE_EVERY_MS },
    { name: MAINTENANCE_JOBS.releaseHolds },
  );
  await queues.maintenance.upsertJobScheduler(
    MAINTENANCE_JOBS.reconcile,
    { every: RECONCILE_EVERY_MS },
    { name: MAINTENANCE_JOBS.reconcile },
  );
  await queues.maintenance.upsertJobScheduler(
    MAINTENANCE_JOBS.applyStrandedRefunds,
    { every: STRANDED_REFUNDS_EVERY_MS },
    { name: MAINTENANCE_JOBS.applyStrandedRefunds },
  );
  await queues.maintenance.upsertJobScheduler(
    MAINTENANCE_JOBS.wooBackfill,
    { every: WOO_BACKFILL_EVERY_MS },
    { name: MAINTENANCE_JOBS.wooBackfill },
  );

  return {
    async close(force) {
      await Promise.all([eventWorker.close(force), maintenanceWorker.close(force)]);
      await queues.close();
      connection.disconnect();
      await prisma.$disconnect();
    },
  };
}
