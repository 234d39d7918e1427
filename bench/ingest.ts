/**
 * Ingest benchmark (DESIGN.md §8): ack latency and throughput of signed Shopify deliveries against the real web
 * process (PostgreSQL inbox + Redis enqueue), beside a same-run baseline: a bare node:http server that only
 * reads the body and checks the HMAC. Two phases per server: an open-loop phase at a fixed rate (latency), then
 * a closed-loop phase with fixed concurrency (throughput). Reports the web process's peak RSS.
 *
 * Two variants of Upline, reported in the same JSON: the web process ALONE (no worker runs: the inbox and the
 * queue only grow, so this is the ack path by itself, the figure the ack target is about), then web + worker on a
 * fresh scratch database at the same rate (what a live store sees: the worker competes for the same cores), with
 * how far the worker kept up; ratios.throughput_vs_baseline is taken from that variant (issue 15), the web alone's
 * is web_only_throughput_vs_baseline. BENCH_INGEST_WORKERS=0 skips the second variant.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { signHmacSha256Base64 } from "~/domain/platforms/signatures";
import pg from "pg";
import { createPrismaClient } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { machine, peakRssMb, percentile, percentileLabel, round, writeResult, type BenchResult } from "./lib/result";
import { scratchEnvironment } from "./lib/scratch";

const RATE_PER_S = Number(process.env.BENCH_RATE ?? 300);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const THROUGHPUT_S = Number(process.env.BENCH_THROUGHPUT_S ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const WITH_WORKERS = process.env.BENCH_INGEST_WORKERS !== "0";
const SECRET = "bench-app-secret";
const SHOP = "bench.myshopify.com";

const sample = readFileSync(path.resolve("test", "fixtures", "shopify", "orders_create.sample.trigger-dev.json"), "utf8");

function delivery(index: number) {
  const body = sample.replace(/"id": 820982911946154500/, `"id": ${9_000_000_000 + index}`);
  return {
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

/** Starts a process; ready when its output matches `ready` (port in group 1), or when it sends the IPC message `ready`. */
function startProcess(args: string[], env: Record<string, string>, ready: RegExp | { message: string }): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe", "ipc"] });
    if (!(ready instanceof RegExp)) {
      child.on("message", (message: { type?: string }) => {
        if (message?.type === ready.message) resolve({ child, port: 0 });
      });
    }
    // Only the start-up output is kept and searched: the web logs a line per delivery (tens of MB over a run),
    // and searching all of it on every chunk cost the load generator quadratic CPU on the cores it shares.
    let output = "";
    let started = false;
    const onData = (chunk: Buffer) => {
      if (started) return;
      output = (output + chunk.toString()).slice(-65_536);
      const match = ready instanceof RegExp ? ready.exec(output) : null;
      if (match) {
        started = true;
        resolve({ child, port: Number(match[1]) });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}:\n${output}`)));
  });
}

async function measure(url: string, label: string, afterRatePhase: () => unknown = () => {}) {
  let index = 0;
  let failures = 0;
  // A bounded keep-alive pool, as a platform's delivery fleet has: beyond it, deliveries wait their turn (and
  // that wait counts in their latency). node:http costs the generator less CPU than fetch on a shared 2-core box.
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });
  const target = new URL(url);
  /** One delivery; a failure or timeout counts as a failure and, for latency, as the time it took. */
  const send = () =>
    new Promise<number>((resolve) => {
      const { body, headers } = delivery(index++);
      const started = performance.now();
      const done = (ok: boolean) => {
        if (!ok) failures++;
        resolve(performance.now() - started);
      };
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          agent,
          headers: { ...headers, "content-length": Buffer.byteLength(body) },
          timeout: 10_000,
        },
        (res) => {
          res.resume();
          res.on("end", () => done(res.statusCode === 200));
        },
      );
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", () => done(false));
      req.end(body);
    });

  // Warm-up at the load's own concurrency: JIT, connection pools and caches are ready before anything is timed.
  for (let i = 0; i < 10; i++) await Promise.all(Array.from({ length: CONCURRENCY }, () => send()));

  // Open loop: requests leave on schedule whatever the answers do, so a slow server cannot slow the load.
  const latencies: number[] = [];
  const inflight: Promise<void>[] = [];
  const total = RATE_PER_S * DURATION_S;
  const start = performance.now();
  for (let sent = 0; sent < total; sent++) {
    const due = start + (sent * 1000) / RATE_PER_S;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inflight.push(send().then((ms) => void latencies.push(ms)));
  }
  await Promise.all(inflight);
  latencies.sort((a, b) => a - b);
  await afterRatePhase();

  // Closed loop: CONCURRENCY senders as fast as answers come back.
  let completed = 0;
  const until = performance.now() + THROUGHPUT_S * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        await send();
        completed++;
      }
    }),
  );
  agent.destroy();
  if (failures > 0) process.stderr.write(`  ingest: ${label}: ${failures} deliveries failed or timed out\n`);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), throughput: completed / THROUGHPUT_S, requests: latencies.length, failures };
}

type Scratch = Awaited<ReturnType<typeof scratchEnvironment>>;

/**
 * Installs the bench shop in a scratch database: a delivery never creates a shop (issue 15), so without this
 * every delivery is a 404 (the web + worker variant measured those, and a worker with nothing to do).
 */
async function installShop(databaseUrl: string): Promise<void> {
  const installer = createPrismaClient(databaseUrl, 1);
  await ensureShopifyShop(installer, SHOP);
  await installer.$disconnect();
}

/** Inbox rows by status: how far the worker kept up (all pending without a worker). */
async function inboxByStatus(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ status: string; count: number }>(
      `SELECT "status"::text AS status, count(*)::int AS count FROM "WebhookEvent" GROUP BY 1 ORDER BY 1`,
    );
    return Object.fromEntries(rows.map((row) => [row.status, row.count]));
  } finally {
    await client.end();
  }
}

/** Upline's web process, and with `withWorkers` its worker too, under the same load as the baseline. */
async function measureUpline(scratch: Scratch, withWorkers: boolean, processes: ChildProcess[], progress: (line: string) => void) {
  const env = {
    PORT: "0",
    NODE_ENV: "production",
    DATABASE_URL: scratch.databaseUrl,
    REDIS_PREFIX: scratch.redisPrefix,
    SHOPIFY_API_KEY: "bench",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: "https://bench.example",
    LOG_LEVEL: "info",
  };
  const web = await startProcess(["--import", "tsx", "scripts/serve.ts"], env, /web listening on http:\/\/localhost:(\d+)/);
  processes.push(web.child);
  const worker = withWorkers ? await startProcess(["--import", "tsx", "workers/index.ts"], { ...env, LOG_LEVEL: "warn" }, { message: "ready" }) : null;
  if (worker) processes.push(worker.child);
  progress(withWorkers ? "upline web + worker processes: same load" : "upline web process alone (no worker): same load");
  let rssAtRate = Number.NaN;
  let inboxAfterRate: Record<string, number> = {};
  const upline = await measure(`http://127.0.0.1:${web.port}/ingest/shopify`, withWorkers ? "upline web + worker" : "upline web", async () => {
    rssAtRate = peakRssMb(web.child.pid!);
    inboxAfterRate = await inboxByStatus(scratch.databaseUrl);
  });
  const rssSaturated = peakRssMb(web.child.pid!);
  const workerRss = worker ? peakRssMb(worker.child.pid!) : Number.NaN;
  web.child.kill("SIGTERM");
  worker?.child.kill("SIGTERM");
  return { ...upline, rssAtRate, rssSaturated, workerRss, inboxAfterRate };
}

export async function run(): Promise<BenchResult> {
  const progress = (line: string) => process.stderr.write(`  ingest: ${line}\n`);
  progress("preparing a scratch database");
  const scratch = await scratchEnvironment("ingest");
  await installShop(scratch.databaseUrl);
  const processes: ChildProcess[] = [];
  try {
    const baseline = await startProcess(["--import", "tsx", "bench/lib/bare-hmac-server.ts"], { BENCH_SECRET: SECRET }, /listening on (\d+)/);
    processes.push(baseline.child);
    progress(`baseline: ${RATE_PER_S}/s for ${DURATION_S} s, then ${CONCURRENCY} concurrent for ${THROUGHPUT_S} s`);
    const bare = await measure(`http://127.0.0.1:${baseline.port}/ingest/shopify`, "baseline");
    baseline.child.kill("SIGTERM");

    const upline = await measureUpline(scratch, false, processes, progress);
    let withWorkers: Awaited<ReturnType<typeof measureUpline>> | null = null;
    if (WITH_WORKERS) {
      // A fresh database and queue: the first variant's unprocessed backlog must not become the worker's work.
      const workerScratch = await scratchEnvironment("ingestw");
      try {
        await installShop(workerScratch.databaseUrl);
        withWorkers = await measureUpline(workerScratch, true, processes, progress);
      } finally {
        await workerScratch.drop();
      }
    }
    const tail = percentileLabel(upline.requests, 99);
    const workerTail = withWorkers ? percentileLabel(withWorkers.requests, 99) : tail;

    const result: BenchResult = {
      name: "ingest",
      when: new Date().toISOString(),
      machine: machine(),
      params: {
        rate_per_s: RATE_PER_S,
        duration_s: DURATION_S,
        throughput_phase_s: THROUGHPUT_S,
        concurrency: CONCURRENCY,
        requests: upline.requests,
        failed: upline.failures,
        workers: "none in the main figures: the web process alone verifies, stores in the inbox and enqueues; no worker drains the inbox or the queue",
        variants: WITH_WORKERS
          ? ["web_only (metrics.ack_*, throughput_rps, peak_rss_*)", "web_and_worker at the same rate (metrics.with_worker_*)"]
          : ["web_only"],
        throughput_vs_baseline: WITH_WORKERS
          ? "web + worker throughput over the bare HMAC server's"
          : "web alone (BENCH_INGEST_WORKERS=0) over the bare HMAC server's",
        ...(withWorkers ? { with_worker_requests: withWorkers.requests, with_worker_failed: withWorkers.failures } : {}),
      },
      // peak_rss_mb: the web process's high-water mark through the fixed-rate phase (the target's condition);
      // peak_rss_saturated_mb: after the closed-loop phase, which drives it several times faster.
      // with_worker_inbox_*: the inbox at the end of the fixed-rate phase (processed, and still pending or processing).
      metrics: {
        ack_p50_ms: round(upline.p50),
        [`ack_${tail}_ms`]: round(upline.p99),
        throughput_rps: round(upline.throughput, 0),
        peak_rss_mb: upline.rssAtRate,
        peak_rss_saturated_mb: upline.rssSaturated,
        ...(withWorkers
          ? {
              with_worker_ack_p50_ms: round(withWorkers.p50),
              [`with_worker_ack_${workerTail}_ms`]: round(withWorkers.p99),
              with_worker_throughput_rps: round(withWorkers.throughput, 0),
              with_worker_web_peak_rss_mb: withWorkers.rssAtRate,
              with_worker_worker_peak_rss_mb: withWorkers.workerRss,
              with_worker_inbox_processed_after_rate_phase: withWorkers.inboxAfterRate.processed ?? 0,
              with_worker_inbox_backlog_after_rate_phase:
                (withWorkers.inboxAfterRate.pending ?? 0) + (withWorkers.inboxAfterRate.processing ?? 0) + (withWorkers.inboxAfterRate.failed ?? 0),
            }
          : {}),
      },
      baseline: {
        name: "bare node:http server verifying the HMAC only",
        ack_p50_ms: round(bare.p50),
        [`ack_${percentileLabel(bare.requests, 99)}_ms`]: round(bare.p99),
        throughput_rps: round(bare.throughput, 0),
      },
      ratios: {
        // Issue 15: the ratio is taken with the worker running (it competes for the same cores, as in a live
        // store); the web process alone is reported beside it.
        throughput_vs_baseline: round((withWorkers ?? upline).throughput / bare.throughput, 3),
        web_only_throughput_vs_baseline: round(upline.throughput / bare.throughput, 3),
        [`ack_${tail}_vs_baseline`]: round(upline.p99 / bare.p99, 2),
        ...(withWorkers ? { [`with_worker_ack_${workerTail}_vs_baseline`]: round(withWorkers.p99 / bare.p99, 2) } : {}),
      },
      targets: { ack_p99_ms: "≤ 50 at 300 deliveries/s (web alone)", peak_rss_mb: "≤ 300 at 300 deliveries/s" },
    };
    console.log(`wrote ${writeResult(result)}`);
    return result;
  } finally {
    for (const child of processes) child.kill("SIGTERM");
    await scratch.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  run().then(
    (result) => {
      console.log(JSON.stringify(result, null, 2));
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
