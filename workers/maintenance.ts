import type { Job } from "bullmq";
import type { CoreConfig } from "~/config.server";
import type { Db } from "~/db.server";
import { MAINTENANCE_JOBS, type Queues } from "~/queues.server";
import { sweepInbox } from "~/services/inbox/sweeper.server";
import { logger } from "~/logger.server";

export async function runMaintenanceJob(db: Db, queues: Queues, settings: CoreConfig, job: Job): Promise<unknown> {
  switch (job.name) {
    case MAINTENANCE_JOBS.sweepInbox: {
      const result = await sweepInbox(db, queues, {
        staleAfterMs: settings.SWEEPER_STALE_AFTER_MS,
        attempts: settings.JOB_ATTEMPTS,
      });
      if (result.requeued > 0) logger.info(result, "sweeper re-enqueued inbox events");
      return result;
    }
    default:
      throw new Error(`unknown maintenance job "${job.name}"`);
  }
}
