import { Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Pool } from "pg";
import type { CoreConfig } from "~/config.server";
import type { Db } from "~/db.server";
import type { Queues } from "~/queues.server";
import { logger } from "~/logger.server";
import { backfillShopifyOrders } from "~/services/backfill/shopify-backfill.server";
import { adminClient } from "~/services/shopify/admin-client.server";
import { SHOPIFY_ADMIN_JOBS, SHOPIFY_ADMIN_QUEUE, type BackfillOrdersJob, type SyncCatalogJob } from "~/services/shopify/admin-jobs.server";
import { syncShopifyCatalog } from "~/services/shopify/catalog.server";
import { syncAffiliateCoupons } from "~/services/shopify/affiliate-coupon.server";

/** Order backfills, catalog reads and affiliate coupon syncs through the Admin API, two at a time, beside the other queues. */
export async function runShopifyAdminJob(db: Db, pool: Pool, queues: Queues, settings: CoreConfig, job: Job): Promise<unknown> {
  const { shopDomain } = job.data as { shopDomain: string };
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, status: true } });
  if (!shop || shop.status !== "active") {
    logger.info({ shopDomain, job: job.name }, "Admin API job skipped: the shop is not installed");
    return { skipped: "not installed" };
  }
  switch (job.name) {
    case SHOPIFY_ADMIN_JOBS.backfillOrders: {
      const data = job.data as BackfillOrdersJob;
      const result = await backfillShopifyOrders(
        { db, pool, queues, jobAttempts: settings.JOB_ATTEMPTS, client: adminClient() },
        { shopId: shop.id, shopDomain, since: new Date(data.since), mode: data.mode },
      );
      logger.info(result, "Shopify order backfill finished");
      return result;
    }
    case SHOPIFY_ADMIN_JOBS.syncCatalog: {
      const result = await syncShopifyCatalog(db, adminClient(), shop.id, (job.data as SyncCatalogJob).shopDomain);
      logger.info({ shopDomain, ...result }, "Shopify catalog read");
      return result;
    }
    case SHOPIFY_ADMIN_JOBS.syncCoupons: {
      const result = await syncAffiliateCoupons(db, adminClient(), { id: shop.id, domain: shopDomain });
      logger.info({ shopDomain, ...result }, "affiliate coupons synced");
      return result;
    }
    default:
      throw new Error(`unknown Shopify Admin job "${job.name}"`);
  }
}

export function startShopifyAdminWorker(db: Db, pool: Pool, queues: Queues, settings: CoreConfig, connection: Redis) {
  const worker = new Worker(SHOPIFY_ADMIN_QUEUE, (job) => runShopifyAdminJob(db, pool, queues, settings, job), {
    connection,
    prefix: settings.REDIS_PREFIX,
    concurrency: 2,
    // A bulk backfill runs for minutes; its lock is renewed while it runs.
    lockDuration: Math.max(settings.WORKER_LOCK_DURATION_MS, 60_000),
    stalledInterval: settings.WORKER_STALLED_INTERVAL_MS,
  });
  worker.on("failed", (job, error) => logger.warn({ job: job?.id, name: job?.name, err: error }, "Shopify Admin job failed"));
  worker.on("error", (error) => logger.error({ err: error }, "Shopify Admin worker error"));
  return worker;
}
