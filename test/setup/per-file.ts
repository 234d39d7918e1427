import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { Redis } from "ioredis";
import { databaseUrl, templateDatabaseName, withAdminClient } from "../support/postgres";

/**
 * Each integration test file gets its own database (cloned from the migrated template) and its own Redis key
 * prefix, set in the environment before the file imports any app module, so files run in parallel without
 * seeing each other's rows or jobs. Both are removed when the file ends.
 */
const suffix = `${process.pid}_${randomBytes(4).toString("hex")}`;
const databaseName = `upline_test_${suffix}`;
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const redisPrefix = `upline-test:${suffix}`;

await withAdminClient((client) => client.query(`CREATE DATABASE "${databaseName}" TEMPLATE "${process.env.UPLINE_TEST_TEMPLATE ?? templateDatabaseName()}"`));

Object.assign(process.env, {
  NODE_ENV: "test",
  DATABASE_URL: databaseUrl(databaseName),
  DATABASE_POOL_MAX: "5",
  REDIS_URL: redisUrl,
  REDIS_PREFIX: redisPrefix,
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
  SHOPIFY_API_KEY: "test-api-key",
  SHOPIFY_API_SECRET: "test-api-secret",
  SHOPIFY_APP_URL: "https://upline.test",
  SCOPES: "read_orders,read_customers,read_products",
});

/**
 * Teardown never waits on a pool that a test left busy (a worker closed mid-job still holds a client): each
 * step gets a bound, and DROP DATABASE … WITH (FORCE) below ends whatever connection is left.
 */
async function bounded(step: string, work: () => Promise<unknown>, ms = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work().catch((error: unknown) => process.stderr.write(`teardown ${step}: ${String(error)}\n`)),
    new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        process.stderr.write(`teardown ${step}: gave up after ${ms} ms\n`);
        resolve();
      }, ms);
    }),
  ]);
  clearTimeout(timer);
}

afterAll(async () => {
  await bounded("prisma disconnect", async () => globalThis.__uplinePrisma?.$disconnect());
  globalThis.__uplineQueues?.redis.disconnect();
  const redis = new Redis(redisUrl);
  await bounded("redis cleanup", async () => {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${redisPrefix}:*`, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  });
  redis.disconnect();
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`));
});
