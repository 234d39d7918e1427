/**
 * Shopify order backfill benchmark (issue 14): 50,000 orders imported through the fake Admin API's bulk operation
 * (bulkOperationRunQuery, polled, a grouped JSONL file streamed from its URL) into the inbox, and processed by a
 * real worker process into orders and commissions, on a scratch database. Every order must be stored exactly once;
 * a second run over the same range must store nothing.
 *
 *   npm run bench -- shopify-backfill        BENCH_BACKFILL_ORDERS=50000 tunes it; BENCH_KEEP=1 keeps the database.
 *
 * Rates: `import` is the backfill call itself (bulk operation, download, JSONL → orders → inbox rows and jobs);
 * `end_to_end` runs until the worker has stored and computed the last order. Baseline, same run: downloading and
 * reading the same JSONL into the payloads the inbox stores, without the database.
 */
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import { Redis } from "ioredis";
import { createDatabase } from "~/db.server";
import { BulkOrderAssembler } from "~/domain/shopify-admin/bulk-orders";
import { restPayloadOf } from "~/domain/shopify-admin/graphql-order";
import { createQueues } from "~/queues.server";
import { backfillShopifyOrders, bulkOrdersQuery } from "~/services/backfill/shopify-backfill.server";
import { ShopifyAdminClient } from "~/services/shopify/admin-client.server";
import { bulkResultLines, runBulkQuery } from "~/services/shopify/bulk-operation.server";
import { startFakeShopifyAdmin } from "~test/support/fakes/shopify-admin";
import { generatedGraphqlOrder } from "~test/support/fakes/shopify-graphql-orders";
import { seed, SHOP } from "./lib/engine-shop";
import { machine, peakRssMb, round, writeResult, type BenchResult } from "./lib/result";
import { scratchEnvironment } from "./lib/scratch";

const ORDERS = Number(process.env.BENCH_BACKFILL_ORDERS ?? 50_000);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const TOKEN = "shpat_bench_backfill";
const SINCE = new Date("2026-10-01T00:00:00Z");
const WORKER_CONCURRENCY = 8;
const TIMEOUT_MS = 30 * 60 * 1000;

const log = (message: string) => console.log(`[shopify-backfill] ${message}`);

function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    let errors = "";
    child.stderr!.on("data", (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4_000)));
    child.on("message", (message: { type?: string }) => message?.type === "ready" && resolve(child));
    child.once("exit", (code) => reject(new Error(`the worker exited with ${code}: ${errors}`)));
  });
}

async function dropRedisPrefix(prefix: string) {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1_000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

async function seconds<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, (performance.now() - started) / 1_000];
}

export async function run(): Promise<BenchResult> {
  // Other work on the machine shows in every rate here: the load is recorded with the result.
  const loadAtStart = os.loadavg()[0]!;
  const scratch = await scratchEnvironment("shopify_backfill");
  const { prisma, pool } = createDatabase(scratch.databaseUrl, 6);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createQueues(redis, scratch.redisPrefix);
  const fake = await startFakeShopifyAdmin(TOKEN);
  let worker: ChildProcess | undefined;
  try {
    const { leafCodes } = await seed(prisma);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    await prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "installed", isOnline: false, accessToken: TOKEN, scope: "read_orders" } });
    fake.orders = { size: () => ORDERS, get: (n) => generatedGraphqlOrder(n, { referralCode: leafCodes[n % leafCodes.length]! }) };
    fake.bulkPolls = 2;
    const client = new ShopifyAdminClient({ apiUrl: fake.apiUrl, accessToken: async (shopDomain) => (shopDomain === SHOP ? TOKEN : null) });

    // Baseline: the same bulk operation and file, read into the payloads the inbox stores, no database.
    let jsonlBytes = 0;
    const [baselineOrders, baselineS] = await seconds(async () => {
      const operation = await runBulkQuery(client, SHOP, bulkOrdersQuery(SINCE), { pollMs: 50 });
      const assembler = new BulkOrderAssembler();
      let count = 0;
      for await (const line of bulkResultLines(operation.url!)) {
        jsonlBytes += line.length + 1;
        const order = assembler.push(line);
        if (order && JSON.stringify(restPayloadOf(order)).length > 0) count++;
      }
      if (assembler.finish()) count++;
      return count;
    });
    log(`baseline: ${baselineOrders} orders read from ${round(jsonlBytes / 1_048_576, 1)} MB of JSONL in ${round(baselineS)} s`);

    worker = await startWorker({
      NODE_ENV: "production",
      DATABASE_URL: scratch.databaseUrl,
      REDIS_URL,
      REDIS_PREFIX: scratch.redisPrefix,
      WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
      LOG_LEVEL: "warn",
    });

    const deps = { db: prisma, pool, queues, jobAttempts: 8, client, bulk: { pollMs: 50 } };
    const started = performance.now();
    const [first, importS] = await seconds(() => backfillShopifyOrders(deps, { shopId: shop.id, shopDomain: SHOP, since: SINCE, mode: "auto" }));
    log(`import: ${JSON.stringify(first)} in ${round(importS)} s`);

    let stored = 0;
    for (;;) {
      stored = await prisma.order.count({ where: { shopId: shop.id } });
      if (stored >= ORDERS) break;
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`only ${stored} of ${ORDERS} orders stored after ${TIMEOUT_MS / 60_000} min`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const storedS = (performance.now() - started) / 1_000;
    for (;;) {
      const open = await prisma.webhookEvent.count({ where: { shopId: shop.id, status: { in: ["pending", "processing", "failed"] } } });
      if (open === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const endToEndS = (performance.now() - started) / 1_000;
    log(`stored ${stored} orders in ${round(storedS)} s; inbox drained at ${round(endToEndS)} s`);

    const [counts] = await prisma.$queryRaw<{ orders: number; distinct_orders: number; events: number; commissions: number; dead: number }[]>`
      SELECT (SELECT count(*)::int FROM "Order" WHERE "shopId" = ${shop.id}::uuid) AS orders,
        (SELECT count(DISTINCT "platformOrderId")::int FROM "Order" WHERE "shopId" = ${shop.id}::uuid) AS distinct_orders,
        (SELECT count(*)::int FROM "WebhookEvent" WHERE "shopId" = ${shop.id}::uuid AND "eventKey" LIKE 'backfill:%') AS events,
        (SELECT count(*)::int FROM "Commission" WHERE "shopId" = ${shop.id}::uuid) AS commissions,
        (SELECT count(*)::int FROM "WebhookEvent" WHERE "shopId" = ${shop.id}::uuid AND "status" = 'dead') AS dead`;
    if (counts!.orders !== ORDERS || counts!.distinct_orders !== ORDERS || counts!.events !== ORDERS || counts!.commissions !== ORDERS || counts!.dead !== 0) {
      throw new Error(`not every order stored exactly once: ${JSON.stringify(counts)}`);
    }

    const [again, againS] = await seconds(() => backfillShopifyOrders(deps, { shopId: shop.id, shopDomain: SHOP, since: SINCE, mode: "auto" }));
    if (again.newEvents !== 0 || again.alreadyStored !== ORDERS) throw new Error(`the second run stored something: ${JSON.stringify(again)}`);
    log(`second run: ${JSON.stringify(again)} in ${round(againS)} s`);

    const workerRss = peakRssMb(worker.pid!);
    const result: BenchResult = {
      name: "shopify-backfill",
      when: new Date().toISOString(),
      machine: machine(),
      params: {
        orders: ORDERS,
        lines_per_order: 2,
        mode: first.mode,
        bulk_polls: fake.bulkPolls,
        jsonl_mb: round(jsonlBytes / 1_048_576, 1),
        worker_concurrency: WORKER_CONCURRENCY,
        plan: "10-level unilevel with dynamic compression (bench/lib/engine-shop.ts); every order carries a referral code",
        where: "fake Admin API and the import in this process; orders processed by one worker process (workers/index.ts)",
        load_average_1m: { start: round(loadAtStart, 1), end: round(os.loadavg()[0]!, 1) },
      },
      metrics: {
        import_orders_per_s: Math.round(ORDERS / importS),
        import_s: round(importS, 1),
        stored_and_computed_orders_per_s: Math.round(ORDERS / storedS),
        end_to_end_s: round(endToEndS, 1),
        rerun_orders_per_s: Math.round(ORDERS / againS),
        orders_stored: counts!.orders,
        orders_stored_twice: counts!.orders - counts!.distinct_orders,
        inbox_events: counts!.events,
        commissions: counts!.commissions,
        rerun_new_events: again.newEvents,
        bench_process_peak_rss_mb: peakRssMb(process.pid),
        worker_peak_rss_mb: workerRss,
      },
      baseline: {
        name: "the same bulk operation and JSONL read into inbox payloads, without the database",
        orders_per_s: Math.round(baselineOrders / baselineS),
      },
      ratios: {
        import_vs_baseline: round(ORDERS / importS / (baselineOrders / baselineS), 3),
        end_to_end_vs_import: round(endToEndS / importS, 2),
      },
      targets: { orders_stored: `exactly ${ORDERS}, once each`, rerun_new_events: "0" },
    };
    log(`wrote ${writeResult(result)}`);
    return result;
  } finally {
    if (worker && worker.exitCode === null) {
      worker.kill("SIGTERM");
      await new Promise((resolve) => worker!.once("exit", resolve));
    }
    await fake.close();
    await queues.close();
    redis.disconnect();
    await prisma.$disconnect();
    await pool.end().catch(() => {});
    if (process.env.BENCH_KEEP === "1") log(`kept ${scratch.databaseUrl}`);
    else await scratch.drop();
    await dropRedisPrefix(scratch.redisPrefix);
  }
}
