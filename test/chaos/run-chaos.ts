/**
 * `npm run test:chaos` (and, smaller, test/chaos/chaos.test.ts in `npm test`): the proof that faults lose and
 * double nothing. On a PostgreSQL and a Redis of its own it
 *
 *   1. runs a clean pass: every distinct event delivered once, in order, one worker, no fault;
 *   2. runs the chaos pass on another database: every event delivered 2–10 times, shuffled, 16 at a time,
 *      through the real ingest route, while it SIGKILLs workers (twice in a row too), SIGTERMs one mid-burst,
 *      stops PostgreSQL for longer than the job retry budget, and flushes Redis;
 *   3. checks: inbox rows = distinct events, all processed; every order stored once; every ledger transaction
 *      balanced; each distributor's ledger total equal to the clean pass to the cent; reconciliation delta 0;
 *      the repeatable jobs back after the flush without any restart.
 *
 * It prints one line per number and exits 1 when any check fails.
 *   --orders N   orders per platform (default 40; `npm run test:chaos` uses 1000)
 *   --seed S     shuffle and copy counts (printed, so a failing run can be replayed)
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { createPrismaClient, type Db } from "~/db.server";
import { migrateDeploy } from "~/db/prisma-cli.server";
import { QUEUE_NAMES } from "~/queues.server";
import { reconcileShopDay } from "~/services/commissions/reconcile.server";
import { createConnection } from "~/services/connections.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { DEMO_REFERRERS, seedCommissionSetup } from "../../scripts/demo/seed-commissions";
import { spawnScript, type RunningProcess } from "../support/processes";
import { chaosEvents, shuffle, type ChaosEvent } from "./chaos-events";
import { freePort, startPrivatePostgres, startPrivateRedis, type PrivatePostgres } from "./private-services";

const SHOP = "upline-chaos.myshopify.com";
const SECRET = "upline-chaos-app-secret";
const DISTRIBUTORS = 60;
const JOB_ATTEMPTS = 3;
/** Longer than the retry budget of a job (1 s + 2 s of backoff for 3 attempts): jobs exhaust their attempts. */
const OUTAGE_MS = 10_000;

const argValue = (name: string, fallback: number) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const ORDERS = argValue("--orders", 40);
const SEED = argValue("--seed", Number.parseInt(randomBytes(3).toString("hex"), 16));
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Stack {
  readonly url: string;
  readonly db: Db;
  readonly shopId: string;
  readonly events: ChaosEvent[];
  readonly env: Record<string, string> & { REDIS_PREFIX: string };
}

async function buildApp(): Promise<string> {
  if (process.env.UPLINE_BUILD_DIR && existsSync(path.join(process.env.UPLINE_BUILD_DIR, "server", "index.js"))) return process.env.UPLINE_BUILD_DIR;
  const dir = mkdtempSync(path.join(path.resolve("node_modules", ".cache"), "upline-chaos-build-"));
  const cli = createRequire(import.meta.url).resolve("@remix-run/dev/dist/cli.js");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "vite:build", "--logLevel", "error"], { env: { ...process.env, UPLINE_BUILD_DIR: dir }, stdio: "inherit" });
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`remix vite:build exited with ${code}`))));
  });
  return dir;
}

async function prepare(pg: PrivatePostgres, name: string, redisUrl: string, buildDir: string): Promise<Stack> {
  await pg.createDatabase(name);
  const url = pg.url(name);
  await migrateDeploy(url);
  const db = createPrismaClient(url, 4);
  const shop = await ensureShopifyShop(db, SHOP);
  const woo = await createConnection(db, shop.id, { platform: "woocommerce", name: "Chaos WooCommerce", baseUrl: "https://woo.chaos" });
  const magento = await createConnection(db, shop.id, { platform: "magento", name: "Chaos Magento", baseUrl: "https://magento.chaos" });
  await seedCommissionSetup(db, shop.id, DISTRIBUTORS, () => undefined);
  const events = chaosEvents(
    {
      shopDomain: SHOP,
      shopifySecret: SECRET,
      wooPath: woo.ingestPath,
      wooSecret: woo.webhookSecret,
      magentoPath: magento.ingestPath,
      magentoSecret: magento.webhookSecret,
      referralCodes: DEMO_REFERRERS,
    },
    ORDERS,
    Math.max(5, Math.floor(ORDERS / 2)),
  );
  const env = {
    NODE_ENV: "production",
    DATABASE_URL: url,
    DATABASE_POOL_MAX: "6",
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `chaos-${name}`,
    SHOPIFY_API_KEY: "upline-chaos-api-key",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: "http://localhost",
    LOG_LEVEL: "error",
    UPLINE_BUILD_DIR: buildDir,
    JOB_ATTEMPTS: String(JOB_ATTEMPTS),
    WORKER_CONCURRENCY: "8",
    SWEEPER_INTERVAL_MS: "2000",
    SWEEPER_STALE_AFTER_MS: "5000",
    PERIOD_CLOSE_GRACE_MS: String(3_650 * 86_400_000),
  };
  return { url, db, shopId: shop.id, events, env };
}

async function startWeb(env: Record<string, string>): Promise<{ process: RunningProcess; base: string }> {
  const port = await freePort();
  const web = spawnScript("scripts/serve.ts", { ...env, PORT: String(port) });
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { process: web, base };
    await sleep(200);
  }
  throw new Error(`the web process did not come up:\n${web.output()}`);
}

/** A worker process that is restarted whenever it dies, until `stop()`: what a process supervisor does. */
function supervisedWorker(env: Record<string, string>, counters: { restarts: number }) {
  let current = spawnScript("workers/index.ts", env);
  let startedAt = Date.now();
  let stopped = false;
  const watch = () => {
    current.child.once("exit", () => {
      if (stopped) return;
      counters.restarts += 1;
      setTimeout(() => {
        if (stopped) return;
        current = spawnScript("workers/index.ts", env);
        startedAt = Date.now();
        watch();
      }, 300);
    });
  };
  watch();
  return {
    kill: (signal: NodeJS.Signals) => current.child.kill(signal),
    /** How long the current process has been running (0 while none is). */
    uptimeMs: () => (current.child.exitCode === null && current.child.signalCode === null ? Date.now() - startedAt : 0),
    async stop() {
      stopped = true;
      current.child.kill("SIGTERM");
      await current.exit(15_000);
    },
    suspend() {
      stopped = true;
    },
    resume() {
      stopped = false;
      if (current.child.exitCode !== null || current.child.signalCode !== null) {
        current = spawnScript("workers/index.ts", env);
        watch();
      }
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends like a platform: a 5xx or a dropped connection is retried after a pause, a 2xx/4xx is final. */
async function deliver(base: string, event: ChaosEvent, stats: { retried: number; statuses: Map<number, number> }) {
  for (let attempt = 0; ; attempt++) {
    const status = await fetch(`${base}${event.path}`, { method: "POST", body: event.body, headers: event.headers }).then(
      (r) => r.arrayBuffer().then(() => r.status),
      () => 0,
    );
    stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
    if (status >= 200 && status < 500) return status;
    if (attempt > 120) throw new Error(`${event.key} was never accepted (last status ${status})`);
    stats.retried += 1;
    await sleep(500);
  }
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function settle(db: Db, shopId: string, expected: number, timeoutMs: number): Promise<{ open: number; total: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [open, total] = await Promise.all([
      db.webhookEvent.count({ where: { shopId, status: { notIn: ["processed", "dead", "rejected"] } } }).catch(() => -1),
      db.webhookEvent.count({ where: { shopId } }).catch(() => -1),
    ]);
    if (open === 0 && total >= expected) return { open, total };
    if (Date.now() > deadline) return { open, total };
    await sleep(500);
  }
}

/** Ledger total per distributor and currency, keyed by what both passes share (e-mail, else enrollment instant). */
async function distributorTotals(db: Db, shopId: string): Promise<Map<string, bigint>> {
  const rows = await db.$queryRaw<{ key: string; currency: string; total: bigint }[]>`
    SELECT coalesce(d."email", to_char(d."enrolledAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS')) AS key, p."currency", sum(p."amountMinor")::bigint AS total
    FROM "LedgerPosting" p JOIN "Distributor" d ON d."shopId" = p."shopId" AND d."id" = p."distributorId"
    WHERE p."shopId" = ${shopId}::uuid GROUP BY 1, 2`;
  return new Map(rows.filter((row) => row.total !== 0n).map((row) => [`${row.key} ${row.currency}`, row.total]));
}

async function reconciliationDelta(db: Db, shopId: string): Promise<number> {
  const days = await db.$queryRaw<{ day: string }[]>`
    SELECT DISTINCT to_char("orderedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM "Order" WHERE "shopId" = ${shopId}::uuid`;
  let delta = 0;
  for (const { day } of days) {
    const report = await reconcileShopDay(db, shopId, day);
    delta += report.items.length + report.replayMismatches.length + report.unappliedRefundIds.length;
  }
  return delta;
}

async function cleanPass(stack: Stack): Promise<Map<string, bigint>> {
  const web = await startWeb(stack.env);
  const counters = { restarts: 0 };
  const worker = supervisedWorker(stack.env, counters);
  const stats = { retried: 0, statuses: new Map<number, number>() };
  try {
    for (const kind of ["order", "refund", "customer"] as const) {
      await inParallel(
        stack.events.filter((event) => event.kind === kind),
        8,
        (event) => deliver(web.base, event, stats),
      );
    }
    const settled = await settle(stack.db, stack.shopId, stack.events.length, 180_000);
    if (settled.open !== 0) throw new Error(`the clean pass did not settle: ${settled.open} events open`);
    return await distributorTotals(stack.db, stack.shopId);
  } finally {
    await worker.stop();
    web.process.child.kill("SIGTERM");
    await web.process.exit(10_000);
  }
}

async function repeatableJobsPresent(redisUrl: string, prefix: string): Promise<number> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE_NAMES.maintenance, { connection, prefix });
  try {
    return (await queue.getJobSchedulers()).length;
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

async function main() {
  const started = Date.now();
  log(`chaos: seed ${SEED}, ${ORDERS} orders per platform`);
  const [pg, redis, buildDir] = await Promise.all([startPrivatePostgres(), startPrivateRedis(), buildApp()]);
  const failures: string[] = [];
  try {
    const clean = await prepare(pg, "clean", redis.url, buildDir);
    const chaos = await prepare(pg, "chaos", redis.url, buildDir);
    const expected = await cleanPass(clean);
    log(`clean pass: ${clean.events.length} events, ${expected.size} distributor totals (${Math.round((Date.now() - started) / 1000)} s)`);

    // Every event 2–10 times; a few refunds go out before anything else (before their order).
    const random = (() => {
      let state = SEED >>> 0;
      return (below: number) => (state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0) % below;
    })();
    const copies = chaos.events.flatMap((event) => Array.from({ length: 2 + random(9) }, () => event));
    const firstRefunds = chaos.events.filter((event) => event.kind === "refund").slice(0, 3);
    const deliveries = [...firstRefunds, ...shuffle(copies, SEED)];

    const web = await startWeb(chaos.env);
    const counters = { restarts: 0 };
    const workers = [supervisedWorker(chaos.env, counters), supervisedWorker(chaos.env, counters)];
    const stats = { retried: 0, statuses: new Map<number, number>() };
    const faults = { kills: 0, terms: 0, outages: 0, flushes: 0 };
    let sending = true;
    const chaosMonkey = (async () => {
      await sleep(1_500);
      for (let round = 0; sending || round < 2; round++) {
        workers[round % 2]!.kill("SIGKILL");
        faults.kills += 1;
        await sleep(700);
        // Twice in a row on the same worker slot: jobs it had re-taken after the first kill die again.
        workers[round % 2]!.kill("SIGKILL");
        faults.kills += 1;
        await sleep(1_500);
        if (round === 1) {
          workers[1]!.kill("SIGTERM");
          faults.terms += 1;
        }
        if (round === 2) {
          await pg.stop();
          faults.outages += 1;
          await sleep(OUTAGE_MS);
          await pg.start();
        }
        await sleep(1_500);
        if (round > 12) break;
      }
    })();
    await inParallel(deliveries, 16, (event) => deliver(web.base, event, stats));
    sending = false;
    await chaosMonkey;

    // Flush Redis once both workers are up and steady, with no restart allowed afterwards: the schedules must
    // come back on their own (a starting worker would declare them and hide the defect).
    const steady = Date.now() + 60_000;
    while (Date.now() < steady && workers.some((worker) => worker.uptimeMs() < 10_000)) await sleep(500);
    for (const worker of workers) worker.suspend();
    const schedulersBefore = await repeatableJobsPresent(redis.url, chaos.env.REDIS_PREFIX);
    const flusher = new Redis(redis.url);
    await flusher.flushall();
    flusher.disconnect();
    faults.flushes += 1;
    const deadline = Date.now() + 45_000;
    let schedulers = 0;
    while (Date.now() < deadline && (schedulers = await repeatableJobsPresent(redis.url, chaos.env.REDIS_PREFIX)) < schedulersBefore) await sleep(1_000);
    if (schedulers < schedulersBefore) failures.push(`${schedulers} of ${schedulersBefore} repeatable jobs back within 45 s of FLUSHALL without a restart`);
    for (const worker of workers) worker.resume();

    const settled = await settle(chaos.db, chaos.shopId, chaos.events.length, 240_000);
    const byStatus = await chaos.db.webhookEvent.groupBy({ by: ["status"], where: { shopId: chaos.shopId }, _count: { _all: true } });
    const processed = byStatus.find((row) => row.status === "processed")?._count._all ?? 0;
    const orders = await chaos.db.order.count({ where: { shopId: chaos.shopId } });
    const expectedOrders = chaos.events.filter((event) => event.kind === "order").length;
    const [unbalanced] = await chaos.db.$queryRaw<{ count: bigint }[]>`
      SELECT count(*)::bigint AS count FROM (
        SELECT "transactionId", "currency" FROM "LedgerPosting" WHERE "shopId" = ${chaos.shopId}::uuid
        GROUP BY 1, 2 HAVING sum("amountMinor") <> 0) t`;
    const actual = await distributorTotals(chaos.db, chaos.shopId);
    const differences = [...new Set([...expected.keys(), ...actual.keys()])].filter((key) => expected.get(key) !== actual.get(key));
    const delta = await reconciliationDelta(chaos.db, chaos.shopId);
    for (const worker of workers) await worker.stop();
    web.process.child.kill("SIGTERM");
    await web.process.exit(10_000);

    const lost = chaos.events.length - processed;
    const doubled = Math.max(0, orders - expectedOrders);
    log(
      `events: ${chaos.events.length} distinct, ${deliveries.length} deliveries (${deliveries.length - chaos.events.length} duplicates), ${stats.retried} retried after 5xx`,
    );
    log(
      `statuses: ${[...stats.statuses]
        .sort()
        .map(([status, count]) => `${count} × ${status === 0 ? "connection error" : status}`)
        .join(", ")}`,
    );
    log(
      `faults: ${faults.kills} SIGKILLs, ${faults.terms} SIGTERM, ${counters.restarts} worker restarts, ${faults.outages} PostgreSQL outage of ${OUTAGE_MS / 1000} s, ${faults.flushes} Redis FLUSHALL`,
    );
    log(`inbox: ${settled.total} rows, ${byStatus.map((row) => `${row._count._all} ${row.status}`).join(", ")}`);
    log(`lost: ${lost}`);
    log(`doubled: ${doubled}`);
    log(`unbalanced: ${unbalanced!.count}`);
    log(
      `difference from the clean run: ${differences.length}${
        differences.length
          ? ` (${differences
              .slice(0, 5)
              .map((key) => `${key}: ${expected.get(key) ?? 0} vs ${actual.get(key) ?? 0}`)
              .join("; ")})`
          : ""
      }`,
    );
    log(`reconciliation delta: ${delta}`);
    log(`repeatable jobs after FLUSHALL: ${schedulers} of ${schedulersBefore}`);
    if (settled.total !== chaos.events.length) failures.push(`${settled.total} inbox rows for ${chaos.events.length} distinct events`);
    if (lost !== 0) failures.push(`${lost} events not processed`);
    if (orders !== expectedOrders) failures.push(`${orders} orders stored for ${expectedOrders} order events`);
    if (unbalanced!.count !== 0n) failures.push(`${unbalanced!.count} unbalanced ledger transactions`);
    if (differences.length !== 0) failures.push(`${differences.length} distributor totals differ from the clean run`);
    if (delta !== 0) failures.push(`reconciliation delta ${delta}`);
    await Promise.all([clean.db.$disconnect(), chaos.db.$disconnect()]);
  } finally {
    await redis.destroy();
    await pg.destroy();
  }
  log(`chaos: ${Math.round((Date.now() - started) / 1000)} s`);
  if (failures.length > 0) {
    for (const failure of failures) log(`FAILED: ${failure}`);
    process.exit(1);
  }
  log("chaos: every check passed");
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos run crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
