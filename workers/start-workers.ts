import { Worker } from "bullmq";
import type { CoreConfig } from "~/config.server";
import { db, pgPool } from "~/db.server";
import { createRedis } from "~/redis.server";
import { createQueues, MAINTENANCE_JOBS, QUEUE_NAMES, type MaintenanceJobName, type ProcessEventJob } from "~/queues.server";
import { logger } from "~/logger.server";
import { jobFailures, jobSeconds } from "~/services/metrics/metrics.server";
import { processEvent } from "./process-event";
import { runMaintenanceJob } from "./maintenance";
import { HOLD_RELEASE_EVERY_MS } from "./holds";
import { RECONCILE_EVERY_MS, STRANDED_REFUNDS_EVERY_MS } from "./reconcile";
import { WOO_BACKFILL_EVERY_MS } from "./woo-backfill";
import { PERIOD_CLOSE_EVERY_MS } from "./period-close";
import { IDEMPOTENCY_PURGE_EVERY_MS } from "~/services/api/idempotency.server";
import { startPayoutsWorker } from "./payouts";
import { startShopifyAdminWorker } from "./shopify-admin";
import { PAYOUT_SCHEDULE_EVERY_MS, PAYOUT_SWEEP_EVERY_MS } from "./payout-maintenance";

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
  const pool = pgPool();

  const locking = { lockDuration: settings.WORKER_LOCK_DURATION_MS, stalledInterval: settings.WORKER_STALLED_INTERVAL_MS };
  const eventWorker = new Worker<ProcessEventJob>(
    QUEUE_NAMES.events,
    (job) => processEvent(prisma, pool, job, { maxAttempts: settings.JOB_ATTEMPTS, leaseMs: settings.INBOX_LEASE_MS }),
    { connection, prefix, concurrency: settings.WORKER_CONCURRENCY, ...locking },
  );
  const maintenanceWorker = new Worker(QUEUE_NAMES.maintenance, (job) => runMaintenanceJob(prisma, queues, settings, job), {
    connection,
    prefix,
    concurrency: 1,
    ...locking,
  });
  const payoutsWorker = startPayoutsWorker(prisma, connection, prefix);
  const shopifyAdminWorker = startShopifyAdminWorker(prisma, pool, queues, settings, connection);
  for (const worker of [eventWorker, maintenanceWorker]) {
    const ran = (job: { processedOn?: number; finishedOn?: number }) => ((job.finishedOn ?? Date.now()) - (job.processedOn ?? Date.now())) / 1000;
    worker.on("completed", (job) => jobSeconds.observe({ queue: worker.name, name: job.name, outcome: "completed" }, ran(job)));
    worker.on("failed", (job) => {
      jobFailures.inc({ queue: worker.name, name: job?.name ?? "unknown" });
      if (job) jobSeconds.observe({ queue: worker.name, name: job.name, outcome: "failed" }, ran(job));
    });
    worker.on("failed", (job, error) => logger.warn({ job: job?.id, name: job?.name, err: error }, "job failed"));
    worker.on("error", (error) => logger.error({ err: error }, "worker error"));
  }

  // Repeatable jobs: upserting a scheduler by name is idempotent, so every worker process may declare them.
  const schedule: [MaintenanceJobName, number][] = [
    [MAINTENANCE_JOBS.sweepInbox, settings.SWEEPER_INTERVAL_MS],
    [MAINTENANCE_JOBS.releaseHolds, HOLD_RELEASE_EVERY_MS],
    [MAINTENANCE_JOBS.reconcile, RECONCILE_EVERY_MS],
    [MAINTENANCE_JOBS.applyStrandedRefunds, STRANDED_REFUNDS_EVERY_MS],
    [MAINTENANCE_JOBS.wooBackfill, WOO_BACKFILL_EVERY_MS],
    [MAINTENANCE_JOBS.closePeriods, PERIOD_CLOSE_EVERY_MS],
    [MAINTENANCE_JOBS.purgeIdempotencyKeys, IDEMPOTENCY_PURGE_EVERY_MS],
    [MAINTENANCE_JOBS.schedulePayouts, PAYOUT_SCHEDULE_EVERY_MS],
    [MAINTENANCE_JOBS.sweepPayouts, PAYOUT_SWEEP_EVERY_MS],
  ];
  const assertSchedules = async () => {
    for (const [name, every] of schedule) await queues.maintenance.upsertJobScheduler(name, { every }, { name });
  };
  await assertSchedules();
  // The schedulers live in Redis only: a FLUSHALL, or a restart without persistence, takes them with everything
  // else, and nothing would declare them again before a worker restarts. So every worker declares them again on
  // each reconnect and periodically (a flush disconnects nobody). Upserting an unchanged scheduler is a no-op.
  const reassertSchedules = () =>
    void assertSchedules().catch((error: Error) => logger.warn({ err: error.message }, "could not declare the repeatable jobs again"));
  // The periodic check is one count, so it can run often; the full declaration only runs when something is gone.
  const reassertMissingSchedules = () =>
    void queues.maintenance
      .getJobSchedulersCount()
      .then((present) => (present < schedule.length ? assertSchedules() : undefined))
      .catch((error: Error) => logger.warn({ err: error.message }, "could not check the repeatable jobs"));
  const reassertTimer = setInterval(reassertMissingSchedules, settings.SCHEDULE_REASSERT_MS);
  reassertTimer.unref();
  connection.on("ready", reassertSchedules);

  return {
    async close(force) {
      clearInterval(reassertTimer);
      connection.off("ready", reassertSchedules);
      await Promise.all([eventWorker.close(force), maintenanceWorker.close(force), payoutsWorker.close(force), shopifyAdminWorker.close(force)]);
      await queues.close();
      connection.disconnect();
      await prisma.$disconnect();
    },
  };
}
