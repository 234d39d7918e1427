import type { CoreConfig } from "~/config.server";
import type { Db } from "~/db.server";
import { pgPool } from "~/db.server";
import type { Queues } from "~/queues.server";
import { backfillAllWooCommerce } from "~/services/backfill/woocommerce-backfill.server";
import { logger } from "~/logger.server";

/** WooCommerce never retries a webhook; this pass over each store's REST API catches what was missed. */
export const WOO_BACKFILL_EVERY_MS = 15 * 60 * 1000;

export async function runWooBackfill(db: Db, queues: Queues, settings: CoreConfig) {
  const run = await backfillAllWooCommerce({ db, pool: pgPool(), queues, jobAttempts: settings.JOB_ATTEMPTS });
  const newEvents = run.results.reduce((sum, result) => sum + result.newEvents, 0);
  if (newEvents > 0) logger.info({ newEvents, stores: run.results.length }, "WooCommerce backfill stored events webhooks missed");
  for (const failure of run.failures) logger.warn(failure, "WooCommerce backfill failed for a store");
  return { stores: run.results.length, newEvents, failures: run.failures.length };
}
