/**
 * Admin API work that can take minutes (an order backfill over a bulk operation, a catalog read) runs on a queue
 * of its own, so it never holds up the inbox sweeper or the period close on the maintenance queue.
 */
import { Queue, type ConnectionOptions } from "bullmq";
import type { Redis } from "ioredis";
import { coreConfig } from "~/config.server";
import type { DbOrTx } from "~/db/tx.server";
import { logger } from "~/logger.server";
import { redis } from "~/queues.server";
import type { BackfillMode } from "~/services/backfill/shopify-backfill.server";

export const SHOPIFY_ADMIN_QUEUE = "shopify-admin";

export const SHOPIFY_ADMIN_JOBS = {
  backfillOrders: "backfill-orders",
  syncCatalog: "sync-catalog",
  syncCoupons: "sync-affiliate-coupons",
} as const;

export interface BackfillOrdersJob {
  shopDomain: string;
  /** ISO instant: orders updated since then. */
  since: string;
  mode: BackfillMode;
}

export interface SyncCatalogJob {
  shopDomain: string;
}

export interface SyncCouponsJob {
  shopDomain: string;
}

/** Shopify keeps 60 days of orders readable without read_all_orders: what an install imports. */
export const INSTALL_BACKFILL_DAYS = 60;

export function createShopifyAdminQueue(connection: Redis | ConnectionOptions, prefix: string): Queue {
  return new Queue(SHOPIFY_ADMIN_QUEUE, { connection, prefix });
}

let shared: Queue | undefined;
/** The web process's producer, on its shared Redis connection. */
export function shopifyAdminQueue(): Queue {
  shared ??= createShopifyAdminQueue(redis(), coreConfig().REDIS_PREFIX);
  return shared;
}

const retried = {
  attempts: 5,
  backoff: { type: "exponential", delay: 30_000 },
  removeOnComplete: { age: 7 * 24 * 3_600 },
  removeOnFail: { age: 30 * 24 * 3_600 },
};

/**
 * A backfill; `jobId` collapses repeats (afterAuth runs on every re-authentication: one install backfill per
 * shop and day).
 */
export async function enqueueOrderBackfill(queue: Queue, job: BackfillOrdersJob, jobId?: string) {
  const added = await queue.add(SHOPIFY_ADMIN_JOBS.backfillOrders, job, { ...retried, ...(jobId ? { jobId } : {}) });
  return added.id ?? null;
}

export async function enqueueCatalogSync(queue: Queue, job: SyncCatalogJob, jobId?: string) {
  const added = await queue.add(SHOPIFY_ADMIN_JOBS.syncCatalog, job, { ...retried, ...(jobId ? { jobId } : {}) });
  return added.id ?? null;
}

/**
 * Brings the shop's affiliate coupons in line with their affiliates (affiliate-coupon.server.ts), after a status
 * change or a redaction. No job id: the sync is idempotent, and one already running must not swallow a later change.
 */
export async function enqueueCouponSync(queue: Queue, job: SyncCouponsJob) {
  const added = await queue.add(SHOPIFY_ADMIN_JOBS.syncCoupons, job, retried);
  return added.id ?? null;
}

/** The same for a shop known by id, when it has coupons at all; never fails the caller (the change is committed). */
export async function queueCouponSyncForShop(db: DbOrTx, shopId: string) {
  try {
    const shop = await db.shop.findFirst({ where: { id: shopId, affiliateCoupons: { some: {} } }, select: { domain: true } });
    if (shop) await enqueueCouponSync(shopifyAdminQueue(), { shopDomain: shop.domain });
  } catch (error) {
    logger.warn({ shopId, err: error }, "could not queue the affiliate coupon sync");
  }
}

/** What an install enqueues: the last 60 days of orders, and the catalog. */
export async function enqueueInstallImports(queue: Queue, shopDomain: string, now = new Date()) {
  const day = now.toISOString().slice(0, 10);
  const since = new Date(now.getTime() - INSTALL_BACKFILL_DAYS * 24 * 3_600 * 1_000).toISOString();
  await enqueueOrderBackfill(queue, { shopDomain, since, mode: "auto" }, `install-backfill_${shopDomain}_${day}`);
  await enqueueCatalogSync(queue, { shopDomain }, `install-catalog_${shopDomain}_${day}`);
}
