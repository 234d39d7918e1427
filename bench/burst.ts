/**
 * Burst benchmark (issue 15, DESIGN.md §8): what a flash sale does to the pipeline. Against the real web process
 * and worker process on a scratch database (the engine benchmark's 10-level shop, 5-line paid orders):
 *
 * 1. steady: signed orders at a fixed 200/s; webhook received → ledger committed per order (e2e_p99_ms_at_200,
 *    in the database's own clock, as bench/engine.ts measures it);
 * 2. burst: BENCH_BURST_EVENTS (30,000) signed orders sent as fast as BENCH_BURST_CONCURRENCY (32) senders get
 *    answers. Measured: how long until every one is in the ledger (drain_s, from the first send), the ack latency
 *    of the deliveries sent while the inbox had a backlog (ack_p99_ms_during_backlog), and the CPU web + worker +
 *    PostgreSQL backends spent per order (cpu_ms_per_order) until the drain.
 *
 * Baseline, same run: the burst's send rate (orders acknowledged per second), beside the rate the pipeline drained
 * at. The machine's load average is recorded at each phase's start and end (other work on a shared machine
 * shows there). `npm run bench -- burst`; BENCH_BURST_EVENTS, BENCH_BURST_CONCURRENCY, BENCH_STEADY_S tune it.
 */
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ChildProcess } from "node:child_process";
import { createPrismaClient, type Db } from "~/db.server";
import { orderBody, seed } from "./lib/engine-shop";
import { machine, peakRssMb, percentile, round, writeResult, type BenchResult } from "./lib/result";
import { scratchEnvironment } from "./lib/scratch";
import { cpuMs, delivery, dropRedisPrefix, phase, phaseJson, REDIS_URL, SECRET, startProcess, trackBackendCpu, waitFor } from "./engine";

const BURST_EVENTS = Number(process.env.BENCH_BURST_EVENTS ?? 30_000);
const BURST_CONCURRENCY = Number(process.env.BENCH_BURST_CONCURRENCY ?? 32);
const STEADY_RATE = 200;
const STEADY_S = Number(process.env.BENCH_STEADY_S ?? 20);
const WARMUP_ORDERS = 200;
const DRAIN_TIMEOUT_MS = 30 * 60_000;

const loadAverage = () => round(os.loadavg()[0]!, 2);

/** Inbox rows the workers still owe (pending, processing or failed). */
async function backlog(db: Db): Promise<number> {
  const [row] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM "WebhookEvent" WHERE "status" IN ('pending', 'processing', 'failed')`;
  return row?.count ?? 0;
}

interface BurstResult {
  readonly sendSeconds: number;
  readonly drainSeconds: number;
  readonly failures: number;
  readonly ackP50: number;
  readonly ackP99: number;
  readonly acksDuringBacklog: number;
  readonly peakBacklog: number;
  readonly cpuMsPerOrder: { readonly web: number; readonly worker: number; readonly postgres: number; readonly total: number };
}

/** Sends `bodies` with a fixed number of senders, as fast as answers come back, and waits for the drain. */
async function burst(db: Db, url: string, pids: { web: number; worker: number }, bodies: readonly string[]): Promise<BurstResult> {
  // Signed before the clock starts: the generator's own HMAC work must not slow the burst.
  const deliveries = bodies.map((body) => delivery(body));
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: BURST_CONCURRENCY });
  const postgres = await trackBackendCpu(db);
  const cpuBefore = { web: cpuMs(pids.web), worker: cpuMs(pids.worker) };

  // The backlog, sampled twice a second: an ack counts as "during backlog" when the last sample before it saw one.
  let lastBacklog = 0;
  let peakBacklog = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      lastBacklog = await backlog(db);
      peakBacklog = Math.max(peakBacklog, lastBacklog);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();

  const acksDuringBacklog: number[] = [];
  const allAcks: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const send = (init: ReturnType<typeof delivery>) =>
    new Promise<void>((resolve) => {
      const backlogAtSend = lastBacklog;
      const sentAt = performance.now();
      const request = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          agent,
          headers: { ...init.headers, "content-length": Buffer.byteLength(init.body) },
          timeout: 30_000,
        },
        (response) => {
          response.resume();
          response.on("end", () => {
            const ms = performance.now() - sentAt;
            allAcks.push(ms);
            if (backlogAtSend > 0) acksDuringBacklog.push(ms);
            if (response.statusCode !== 200) failures++;
            resolve();
          });
        },
      );
      request.on("timeout", () => request.destroy(new Error("timeout")));
      request.on("error", () => {
        failures++;
        resolve();
      });
      request.end(init.body);
    });
  await Promise.all(
    Array.from({ length: BURST_CONCURRENCY }, async () => {
      while (next < deliveries.length) await send(deliveries[next++]!);
    }),
  );
  const sendSeconds = (performance.now() - started) / 1_000;
  agent.destroy();

  await waitFor(async () => ((await backlog(db)) === 0 ? true : null), DRAIN_TIMEOUT_MS, "the burst to drain");
  const drainSeconds = (performance.now() - started) / 1_000;
  sampling = false;
  await sampler;
  const postgresMs = await postgres.stop();
  const web = (cpuMs(pids.web) - cpuBefore.web) / bodies.length;
  const worker = (cpuMs(pids.worker) - cpuBefore.worker) / bodies.length;
  const postgresPerOrder = postgresMs / bodies.length;

  acksDuringBacklog.sort((a, b) => a - b);
  allAcks.sort((a, b) => a - b);
  return {
    sendSeconds,
    drainSeconds,
    failures,
    ackP50: percentile(allAcks, 50),
    ackP99: percentile(acksDuringBacklog, 99),
    acksDuringBacklog: acksDuringBacklog.length,
    peakBacklog,
    cpuMsPerOrder: { web: round(web, 2), worker: round(worker, 2), postgres: round(postgresPerOrder, 2), total: round(web + worker + postgresPerOrder, 2) },
  };
}

export async function run(): Promise<BenchResult> {
  const progress = (line: string) => process.stderr.write(`  burst: ${line}\n`);
  const scratch = await scratchEnvironment("burst");
  // One connection, so the bench's own backend is exactly the one the PostgreSQL CPU count leaves out.
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

    let nextId = 9_300_000_000 + Math.floor(Math.random() * 1_000_000) * 100_000;
    const makeOrders = (count: number) => Array.from({ length: count }, (_, i) => ({ id: String(nextId++), code: leafCodes[i % leafCodes.length]! }));

    progress(`warm-up (${WARMUP_ORDERS} orders at 50/s)`);
    await phase(db, url, pids, makeOrders(WARMUP_ORDERS), 50);

    const steadyLoad = { start: loadAverage(), end: Number.NaN };
    progress(`steady: ${STEADY_RATE}/s for ${STEADY_S} s (load average ${steadyLoad.start})`);
    const steady = await phase(db, url, pids, makeOrders(STEADY_RATE * STEADY_S), STEADY_RATE);
    steadyLoad.end = loadAverage();

    const burstLoad = { start: loadAverage(), end: Number.NaN };
    progress(`burst: ${BURST_EVENTS} orders, ${BURST_CONCURRENCY} concurrent senders (load average ${burstLoad.start})`);
    const burstOrders = makeOrders(BURST_EVENTS);
    const burstResult = await burst(
      db,
      url,
      pids,
      burstOrders.map((order) => orderBody(order.id, order.code)),
    );
    burstLoad.end = loadAverage();
    const inLedger = await db.$queryRaw<{ count: number }[]>`
      SELECT count(DISTINCT o."id")::int AS count FROM "Order" o JOIN "LedgerTransaction" t ON t."shopId" = o."shopId" AND t."orderId" = o."id"
      WHERE o."platformOrderId" = ANY(${burstOrders.map((order) => order.id)})`;
    const dead = await db.webhookEvent.count({ where: { status: "dead" } });

    const ackedPerS = BURST_EVENTS / burstResult.sendSeconds;
    const drainedPerS = BURST_EVENTS / burstResult.drainSeconds;
    const result: BenchResult = {
      name: "burst",
      when: new Date().toISOString(),
      machine: machine(),
      params: {
        events: BURST_EVENTS,
        burst_concurrency: BURST_CONCURRENCY,
        steady_rate_per_s: STEADY_RATE,
        steady_duration_s: STEADY_S,
        worker_processes: 1,
        order: "Shopify orders/paid, 5 lines, referral code of a 10-level unilevel leaf (bench/lib/engine-shop.ts)",
        load_average_1m: {
          cpus: os.cpus().length,
          steady_start: steadyLoad.start,
          steady_end: steadyLoad.end,
          burst_start: burstLoad.start,
          burst_end: burstLoad.end,
        },
      },
      metrics: {
        events: BURST_EVENTS,
        drain_s: round(burstResult.drainSeconds, 1),
        e2e_p99_ms_at_200: round(steady.p99),
        cpu_ms_per_order: burstResult.cpuMsPerOrder.total,
        ack_p99_ms_during_backlog: round(burstResult.ackP99),
      },
      baseline: {
        name: "the burst's own send rate: orders acknowledged per second",
        acked_per_s: round(ackedPerS, 0),
        send_s: round(burstResult.sendSeconds, 1),
      },
      ratios: {
        drained_vs_acked_rate: round(drainedPerS / ackedPerS, 3),
        e2e_p99_at_200_vs_target: round(steady.p99 / 100, 3),
        drain_s_vs_target: round(burstResult.drainSeconds / 75, 3),
      },
      targets: { events: "≥ 30000", drain_s: "≤ 75", e2e_p99_ms_at_200: "≤ 100", cpu_ms_per_order: "≤ 5 (web + worker + PostgreSQL)" },
    };
    Object.assign(result, {
      diagnostics: {
        steady: phaseJson(steady),
        burst: {
          rejected_deliveries: burstResult.failures,
          orders_in_ledger: inLedger[0]?.count ?? 0,
          dead_inbox_rows: dead,
          ack_p50_ms: round(burstResult.ackP50),
          acks_during_backlog: burstResult.acksDuringBacklog,
          peak_backlog: burstResult.peakBacklog,
          drained_per_s: round(drainedPerS, 1),
          cpu_ms_per_order: burstResult.cpuMsPerOrder,
        },
        web_peak_rss_mb: peakRssMb(pids.web),
        worker_peak_rss_mb: peakRssMb(pids.worker),
        logged_warnings: { web: Object.fromEntries(web.warnings), worker: Object.fromEntries(worker.warnings) },
      },
    });
    console.log(`wrote ${writeResult(result)}`);
    return result;
  } finally {
    for (const child of processes) child.kill("SIGTERM");
    await Promise.all(processes.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)))));
    await db.$disconnect();
    if (process.env.BENCH_KEEP === "1") console.log(`kept ${scratch.databaseUrl}`);
    else await scratch.drop();
    await dropRedisPrefix(scratch.redisPrefix);
  }
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
