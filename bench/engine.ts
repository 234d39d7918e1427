/**
 * Engine benchmark (DESIGN.md §8, issue 4): how fast the pure engine evaluates a 5-line order against a 10-level
 * unilevel (with dynamic compression), beside a same-run baseline loop that only sums the order's line amounts;
 * then the end-to-end latency from a signed webhook received to its ledger entries committed, at a fixed rate
 * against the real web process and worker process on a scratch database; and the worker's peak RSS.
 *
 *   npx tsx bench/engine.ts          (or: npm run bench -- engine)
 *   BENCH_RATE=100 BENCH_DURATION_S=20 BENCH_LOW_RATE=40 BENCH_LOW_DURATION_S=10 BENCH_EVAL_MS=3000 tune it;
 *   BENCH_KEEP=1 keeps the scratch database; BENCH_NODE_ARGS="--cpu-prof" is passed to the web and worker.
 * bench/burst.ts drives the same web and worker processes with these helpers (exported for it).
 *
 * Latency is measured in the database's own clock: WebhookEvent.receivedAt (the inbox insert, just before the
 * 200 is sent) to the latest LedgerTransaction.createdAt of the order (clock_timestamp() at insert, inside the
 * worker's transaction, a few statements before its commit).
 *
 * Diagnostics beside the targets: per phase, the CPU each process (web, worker, PostgreSQL backends) spent per
 * order and the rate the pipeline sustained; and `worker_path` (bench/lib/worker-path.ts), the worker's apply
 * step alone in this process: statements and CPU per order, which a busy machine cannot blur.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { createPrismaClient, type Db } from "~/db.server";
import { buildBenchInput, runEngineMicroBench } from "~test/fixtures/engine-bench";
import { signHmacSha256Base64 } from "~/domain/platforms/signatures";
import { LEVELS, LINES, orderBody, seed, SHOP } from "./lib/engine-shop";
import { machine, peakRssMb, percentile, round, writeResult, type BenchResult } from "./lib/result";
import { scratchEnvironment } from "./lib/scratch";
import { measureWorkerPath } from "./lib/worker-path";

const RATE_PER_S = Number(process.env.BENCH_RATE ?? 100);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const EVAL_MS = Number(process.env.BENCH_EVAL_MS ?? 3_000);
/** A second, lower rate (0 to skip): latency when the pipeline is not saturated. */
const LOW_RATE_PER_S = Number(process.env.BENCH_LOW_RATE ?? 40);
const LOW_DURATION_S = Number(process.env.BENCH_LOW_DURATION_S ?? 10);
const WARMUP_ORDERS = 100;
const WORKER_PATH_ORDERS = 300;
/** The worker's default (app/config.server.ts WORKER_CONCURRENCY), which the benchmark's worker runs with. */
const WORKER_CONCURRENCY = 8;
export const SECRET = "bench-app-secret";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

// ------------------------------------------------------------------------------------------ micro benchmark

/** The baseline: the same order, and the least work any commission step does: add up the line amounts. */
function baselineLoop(durationMs: number): number {
  const { lines } = buildBenchInput().order;
  let sink = 0n;
  let loops = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (let i = 0; i < 256; i++) {
      let sum = 0n;
      for (const line of lines) sum += line.unitPriceMinor * BigInt(line.quantity) - line.discountMinor;
      sink += sum;
    }
    loops += 256;
    elapsed = performance.now() - started;
  }
  if (sink < 0n) console.log(sink); // keeps the loop from being optimized away
  return Math.round((loops * 1_000) / elapsed);
}

// ------------------------------------------------------------------------------------------ end to end

export function delivery(body: string) {
  return {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": "orders/paid",
      "x-shopify-shop-domain": SHOP,
      "x-shopify-api-version": "2026-10",
      "x-shopify-webhook-id": randomUUID(),
      "x-shopify-hmac-sha256": signHmacSha256Base64(body, SECRET),
    },
  };
}

/** Starts a TypeScript entry point under this Node with tsx, and waits for its IPC message of `type`. */
interface Started {
  readonly child: ChildProcess;
  readonly message: Record<string, unknown>;
  /** Warnings and errors the process logged (pino levels 40 and up), by message: e.g. enqueues that timed out. */
  readonly warnings: Map<string, number>;
}

export function startProcess(script: string, env: NodeJS.ProcessEnv, type: string): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []), "--import", "tsx", script], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let output = "";
    let partial = "";
    const warnings = new Map<string, number>();
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        const level = /"level":(\d+)/.exec(line)?.[1];
        if (level && Number(level) >= 40) {
          const msg = /"msg":"([^"]*)"/.exec(line)?.[1] ?? "?";
          warnings.set(msg, (warnings.get(msg) ?? 0) + 1);
        }
      }
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    child.on("message", (message: Record<string, unknown>) => {
      if (message?.type === type) resolve({ child, message, warnings });
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)));
  });
}

const CLOCK_TICKS_PER_S = 100;

/** CPU time (user + system) a process has used so far, from /proc/<pid>/stat, in ms. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1_000) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** The PostgreSQL backends serving the scratch database (the web's and the worker's pools). */
async function backendPids(db: Db): Promise<number[]> {
  const rows = await db.$queryRaw<{ pid: number }[]>`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  return rows.map((row) => row.pid);
}

/**
 * CPU the scratch database's backends spend from now until `stop()`, sampled every half second: a pooled
 * connection closed while idle (pg's pool closes them after 10 s) would otherwise take its count with it.
 */
export async function trackBackendCpu(db: Db) {
  const sample = async () => {
    const cpu = new Map<number, number>();
    for (const pid of await backendPids(db)) {
      const ms = cpuMs(pid);
      if (ms > 0) cpu.set(pid, ms); // 0: it exited meanwhile; its last sample stands
    }
    return cpu;
  };
  const first = await sample();
  const latest = new Map(first);
  const update = async () => {
    for (const [pid, ms] of await sample()) latest.set(pid, ms);
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await update();
    }
  })();
  return {
    async stop(): Promise<number> {
      running = false;
      await loop;
      await update();
      // A backend first seen during the phase was opened during it: all of its CPU counts.
      return [...latest].reduce((sum, [pid, ms]) => sum + ms - (first.get(pid) ?? 0), 0);
    },
  };
}

export async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * One delivery, sent again (up to 3 tries, 1 s apart) after a 5xx or a connection error, as the platforms do:
 * on a saturated machine a connect can time out, and a load generator that crashed there would measure nothing.
 * Latency is measured from the inbox insert, so a retried delivery does not stretch it.
 */
async function deliverWithRetries(url: string, init: ReturnType<typeof delivery>): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, init);
      await response.arrayBuffer();
      if (response.status === 200) return true;
      if (response.status < 500 || attempt >= 3) return false;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

async function sendAtRate(url: string, orders: readonly { id: string; code: string }[], ratePerS: number) {
  // Bodies and signatures are made before the clock starts, so the load generator's own work cannot slow the rate.
  const deliveries = orders.map((order) => delivery(orderBody(order.id, order.code)));
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  let failures = 0;
  for (const [index, init] of deliveries.entries()) {
    const wait = start + (index * 1_000) / ratePerS - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inflight.push(deliverWithRetries(url, init).then((ok) => void (ok || failures++)));
  }
  await Promise.all(inflight);
  return { failures, sendSeconds: (performance.now() - start) / 1_000 };
}

export interface PhaseResult {
  readonly ratePerS: number;
  readonly orders: number;
  readonly ordersWithLedger: number;
  readonly failures: number;
  readonly sendSeconds: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Measured orders over first received → last ledger write: the rate the whole pipeline sustained. */
  readonly sustainedPerS: number;
  /** CPU each process spent per order during the phase (until its last order was in the ledger). */
  readonly cpuPerOrderMs: { readonly web: number; readonly worker: number; readonly postgres: number };
}

/** Sends `orders` at `ratePerS`, waits until every one is in the ledger, and measures latency and CPU. */
export async function phase(
  db: Db,
  url: string,
  pids: { web: number; worker: number },
  orders: readonly { id: string; code: string }[],
  ratePerS: number,
): Promise<PhaseResult> {
  const postgres = await trackBackendCpu(db);
  const cpuBefore = { web: cpuMs(pids.web), worker: cpuMs(pids.worker) };
  const expected = (await db.commission.count()) + orders.length;
  const sent = await sendAtRate(url, orders, ratePerS);
  await waitFor(
    async () => ((await db.commission.count({ where: { outcome: "evaluated" } })) >= expected ? true : null),
    300_000,
    "every order's ledger entries",
  );
  const postgresMs = await postgres.stop();
  const perOrder = (before: number, after: number) => round((after - before) / orders.length, 2);

  const ids = orders.map((order) => order.id);
  const rows = await db.$queryRaw<{ ms: number }[]>`
    SELECT (EXTRACT(EPOCH FROM (max(t."createdAt") - e."receivedAt")) * 1000)::float8 AS ms
    FROM "Order" o
    JOIN "WebhookEvent" e ON e."id" = o."sourceEventId"
    JOIN "LedgerTransaction" t ON t."shopId" = o."shopId" AND t."orderId" = o."id"
    WHERE o."platformOrderId" = ANY(${ids})
    GROUP BY o."id", e."receivedAt"`;
  const latencies = rows.map((row) => row.ms).sort((a, b) => a - b);
  const [span] = await db.$queryRaw<{ seconds: number }[]>`
    SELECT EXTRACT(EPOCH FROM (max(t."createdAt") - min(e."receivedAt")))::float8 AS seconds
    FROM "Order" o
    JOIN "WebhookEvent" e ON e."id" = o."sourceEventId"
    JOIN "LedgerTransaction" t ON t."shopId" = o."shopId" AND t."orderId" = o."id"
    WHERE o."platformOrderId" = ANY(${ids})`;
  return {
    ratePerS,
    orders: orders.length,
    ordersWithLedger: latencies.length,
    failures: sent.failures,
    sendSeconds: sent.sendSeconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    sustainedPerS: span ? orders.length / span.seconds : Number.NaN,
    cpuPerOrderMs: {
      web: perOrder(cpuBefore.web, cpuMs(pids.web)),
      worker: perOrder(cpuBefore.worker, cpuMs(pids.worker)),
      postgres: perOrder(0, postgresMs),
    },
  };
}

async function endToEnd(scratch: { databaseUrl: string; redisPrefix: string }) {
  // One connection, so the bench's own backend is exactly the one excluded from the PostgreSQL CPU count.
  const db = createPrismaClient(scratch.databaseUrl, 1);
  const processes: ChildProcess[] = [];
  try {
    const { leafCodes } = await seed(db);
    const env: NodeJS.ProcessEnv = {
      NODE_ENV: "production",
      DATABASE_URL: scratch.databaseUrl,
      REDIS_URL,
      REDIS_PREFIX: scratch.redisPrefix,
      SHOPIFY_API_KEY: "bench",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: "https://bench.example",
      LOG_LEVEL: "warn",
      PORT: "0",
    };
    const web = await startProcess("scripts/serve.ts", env, "listening");
    processes.push(web.child);
    const worker = await startProcess("workers/index.ts", env, "ready");
    processes.push(worker.child);
    const url = `http://127.0.0.1:${Number(web.message.port)}/ingest/shopify`;
    const pids = { web: web.child.pid!, worker: worker.child.pid! };

    let next = 9_100_000_000 + Math.floor(Math.random() * 1_000_000) * 10_000;
    const makeOrders = (count: number) => Array.from({ length: count }, (_, i) => ({ id: String(next++), code: leafCodes[i % leafCodes.length]! }));

    await phase(db, url, pids, makeOrders(WARMUP_ORDERS), 50); // JIT, pools, caches
    const main = await phase(db, url, pids, makeOrders(RATE_PER_S * DURATION_S), RATE_PER_S);
    const low = LOW_RATE_PER_S > 0 ? await phase(db, url, pids, makeOrders(LOW_RATE_PER_S * LOW_DURATION_S), LOW_RATE_PER_S) : null;
    return {
      main,
      low,
      transactions: await db.ledgerTransaction.count(),
      warnings: { web: Object.fromEntries(web.warnings), worker: Object.fromEntries(worker.warnings) },
      workerRss: peakRssMb(worker.child.pid!),
      webRss: peakRssMb(web.child.pid!),
    };
  } finally {
    for (const child of processes) child.kill("SIGTERM");
    await Promise.all(processes.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)))));
    await db.$disconnect();
  }
}

export function phaseJson(phase: PhaseResult) {
  return {
    rate_per_s: phase.ratePerS,
    orders: phase.orders,
    orders_with_ledger_entries: phase.ordersWithLedger,
    rejected_deliveries: phase.failures,
    send_seconds: round(phase.sendSeconds),
    sustained_orders_per_s: round(phase.sustainedPerS, 1),
    e2e_p50_ms: round(phase.p50),
    e2e_p99_ms: round(phase.p99),
    e2e_max_ms: round(phase.max),
    cpu_ms_per_order: phase.cpuPerOrderMs,
  };
}

export async function dropRedisPrefix(prefix: string) {
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

export async function run(): Promise<BenchResult> {
  const baselinePerS = baselineLoop(EVAL_MS);
  const micro = runEngineMicroBench({ durationMs: EVAL_MS });

  const scratch = await scratchEnvironment("engine");
  let e2e;
  try {
    e2e = await endToEnd(scratch);
  } finally {
    // BENCH_KEEP=1 leaves the scratch database for a look afterwards (drop it by hand).
    if (process.env.BENCH_KEEP === "1") console.log(`kept ${scratch.databaseUrl}`);
    else await scratch.drop();
    await dropRedisPrefix(scratch.redisPrefix);
  }

  // The worker's apply path alone, in this process: statements and CPU per order, which the load cannot blur.
  const workerPath = await measureWorkerPath({ orders: WORKER_PATH_ORDERS, concurrency: WORKER_CONCURRENCY });

  const { main, low } = e2e;
  const result: BenchResult = {
    name: "engine",
    when: new Date().toISOString(),
    machine: machine(),
    params: {
      levels: LEVELS,
      order_lines: LINES,
      compression: "dynamic",
      eval_duration_ms: EVAL_MS,
      rate_per_s: RATE_PER_S,
      duration_s: DURATION_S,
      warmup_orders: WARMUP_ORDERS,
      worker_concurrency: WORKER_CONCURRENCY,
      commission_lines_per_evaluation: micro.commissionLinesPerEvaluation,
    },
    metrics: {
      evaluations_per_s: micro.evaluationsPerSecond,
      e2e_p50_ms: round(main.p50),
      e2e_p99_ms: round(main.p99),
      worker_peak_rss_mb: e2e.workerRss,
    },
    baseline: {
      name: "same-run loop summing the same order's line amounts (no engine)",
      loops_per_s: baselinePerS,
    },
    ratios: {
      evaluations_vs_baseline_loop: round(micro.evaluationsPerSecond / baselinePerS, 4),
      e2e_p99_vs_target: round(main.p99 / 500, 3),
    },
    targets: { evaluations_per_s: "≥ 50000", e2e_p99_ms: "≤ 500 at 100 orders/s", worker_peak_rss_mb: "≤ 400" },
  };
  // Context for the latency numbers: whether the pipeline kept up, what each process spent per order, and the
  // same measurement at a rate the machine sustains.
  Object.assign(result, {
    diagnostics: {
      at_rate: phaseJson(main),
      at_low_rate: low ? phaseJson(low) : null,
      worker_path: workerPath,
      ledger_transactions: e2e.transactions,
      web_peak_rss_mb: e2e.webRss,
      // Should be empty: "enqueue failed" means jobs waited for the sweeper, which shows as latency.
      logged_warnings: e2e.warnings,
      load_average_1m_at_end: round(os.loadavg()[0]!, 2),
    },
  });
  console.log(`wrote ${writeResult(result)}`);
  return result;
}

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? "")).href) {
  run().then(
    (result) => {
      console.log(JSON.stringify({ metrics: result.metrics, baseline: result.baseline, ratios: result.ratios }, null, 2));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
