import type { Job } from "bullmq";
import type { CoreConfig } from "~/config.server";
import type { Db } from "~/db.server";
import { MAINTENANCE_JOBS, ONE_OFF_JOBS, type Queues } from "~/queues.server";
import { sweepInbox } from "~/services/inbox/sweeper.server";
import { purgeExpiredIdempotencyKeys } from "~/services/api/idempotency.server";
import { logger } from "~/logger.server";
import { reconcilePixelSignal } from "~/services/attribution/pixel-signal.server";
import { runHoldRelease } from "./holds";
import { runReconciliation, runStrandedRefundSweep } from "./reconcile";
import { runWooBackfill } from "./woo-backfill";
import { runPeriodClose } from "./period-close";
import { runPayoutSchedules, runPayoutSweep } from "./payout-maintenance";

export async function runMaintenanceJob(db: Db, queues: Queues, settings: CoreConfig, job: Job): Promise<unknown> {
  if (job.name === ONE_OFF_JOBS.reconcilePixelSignal) {
    const { shopId, signalId } = job.data as { shopId: string; signalId: string };
    return reconcilePixelSignal(db, shopId, signalId);
  }
  switch (job.name) {
    case MAINTENANCE_JOBS.sweepInbox: {
      const result = await sweepInbox(db, queues, {
        staleAfterMs: settings.SWEEPER_STALE_AFTER_MS,
        attempts: settings.JOB_ATTEMPTS,
      });
      if (result.requeued > 0) logger.info(result, "sweeper re-enqueued inbox events");
      return result;
    }
    case MAINTENANCE_JOBS.releaseHolds:
      return runHoldRelease(db);
    case MAINTENANCE_JOBS.reconcile:
      return runReconciliation(db);
    case MAINTENANCE_JOBS.applyStrandedRefunds:
      return runStrandedRefundSweep(db);
    case MAINTENANCE_JOBS.wooBackfill:
      return runWooBackfill(db, queues, settings);
    case MAINTENANCE_JOBS.closePeriods:
      return runPeriodClose(db, settings);
    case MAINTENANCE_JOBS.purgeIdempotencyKeys:
      return { purged: await purgeExpiredIdempotencyKeys(db) };
    case MAINTENANCE_JOBS.schedulePayouts:
      return runPayoutSchedules(db);
    case MAINTENANCE_JOBS.sweepPayouts:
      return runPayoutSweep(db);
    default:
      throw new Error(`unknown maintenance job "${job.name}"`);
  }
}
