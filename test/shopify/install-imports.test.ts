/**
 * What an install queues (the afterAuth hook in app/shopify.server.ts): the last 60 days of orders and the
 * catalog, once per shop and day however often Shopify re-authenticates the app.
 */
import { afterAll, describe, expect, it } from "vitest";
import { coreConfig } from "~/config.server";
import { redis } from "~/queues.server";
import { createShopifyAdminQueue, enqueueInstallImports, SHOPIFY_ADMIN_JOBS } from "~/services/shopify/admin-jobs.server";

const queue = createShopifyAdminQueue(redis(), coreConfig().REDIS_PREFIX);
afterAll(async () => queue.close());

describe("install imports", () => {
  it("queue a 60-day order backfill and a catalog read, once a day per shop", async () => {
    const now = new Date("2026-12-05T10:00:00Z");
    await enqueueInstallImports(queue, "new-shop.myshopify.com", now);
    await enqueueInstallImports(queue, "new-shop.myshopify.com", new Date("2026-12-05T18:00:00Z"));
    const jobs = await queue.getJobs(["waiting", "delayed", "prioritized"]);
    expect(jobs.map((job) => [job.name, job.data]).sort()).toEqual([
      [SHOPIFY_ADMIN_JOBS.backfillOrders, { shopDomain: "new-shop.myshopify.com", since: "2026-10-06T10:00:00.000Z", mode: "auto" }],
      [SHOPIFY_ADMIN_JOBS.syncCatalog, { shopDomain: "new-shop.myshopify.com" }],
    ]);
    await enqueueInstallImports(queue, "new-shop.myshopify.com", new Date("2026-12-06T09:00:00Z"));
    expect(await queue.getJobCounts("waiting")).toMatchObject({ waiting: 4 });
  });
});
