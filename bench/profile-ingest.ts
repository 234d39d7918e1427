/**
 * Profiles the web process under the ingest benchmark's closed-loop load (signed Shopify deliveries, 32 at a
 * time): the web runs under `node --cpu-prof` and a preload that counts the SQL statements it sends, and the
 * run prints deliveries, statements and PostgreSQL transactions per delivery. Not a benchmark (no baseline):
 * the tool behind the cost-per-order figures. PROFILE_DIR, PROFILE_SECONDS, PROFILE_PRELOAD (extra --import).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import pg from "pg";
import { signHmacSha256Base64 } from "~/domain/platforms/signatures";
import { createPrismaClient } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { scratchEnvironment } from "./lib/scratch";

const SECRET = "bench-app-secret";
const SHOP = "bench.myshopify.com";
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const sample = readFileSync(path.resolve("test", "fixtures", "shopify", "orders_create.sample.trigger-dev.json"), "utf8");

async function xacts(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/** User + system CPU of a process so far, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function main() {
  const scratch = await scratchEnvironment("prof");
  const installer = createPrismaClient(scratch.databaseUrl, 1);
  await ensureShopifyShop(installer, SHOP);
  await installer.$disconnect();
  const profileDir = process.env.PROFILE_DIR ?? "/tmp/ingest-profile";
  const args = ["--cpu-prof", `--cpu-prof-dir=${profileDir}`];
  if (process.env.PROFILE_PRELOAD) args.push("--import", process.env.PROFILE_PRELOAD);
  const child = spawn(process.execPath, [...args, "--import", "tsx", "scripts/serve.ts"], {
    env: {
      ...process.env,
      PORT: "0",
      NODE_ENV: "production",
      DATABASE_URL: scratch.databaseUrl,
      REDIS_PREFIX: scratch.redisPrefix,
      SHOPIFY_API_KEY: "bench",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: "https://bench.example",
      LOG_LEVEL: "info",
      SQL_COUNT_FILE: path.join(profileDir, "sql-counts.json"),
    },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  let lines = 0;
  const port = await new Promise<number>((resolve) => {
    child.on("message", (message: { type?: string; port?: number }) => message?.type === "listening" && resolve(message.port!));
  });
  child.stdout!.on("data", (chunk: Buffer) => (lines += chunk.toString().split("\n").length - 1));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });
  let index = 0;
  let failed = 0;
  const send = () =>
    new Promise<void>((resolve) => {
      const body = sample.replace(/"id": 820982911946154500/, `"id": ${9_000_000_000 + index++}`);
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          path: "/ingest/shopify",
          method: "POST",
          agent,
          headers: {
            "content-type": "application/json",
            "x-shopify-topic": "orders/paid",
            "x-shopify-shop-domain": SHOP,
            "x-shopify-api-version": "2026-10",
            "x-shopify-webhook-id": randomUUID(),
            "x-shopify-hmac-sha256": signHmacSha256Base64(body, SECRET),
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          if (res.statusCode !== 200) failed++;
          res.resume();
          res.on("end", () => resolve());
        },
      );
      req.on("error", () => (failed++, resolve()));
      req.end(body);
    });
  for (let i = 0; i < 10; i++) await Promise.all(Array.from({ length: CONCURRENCY }, () => send()));
  const xactBefore = await xacts(scratch.databaseUrl);
  const linesBefore = lines;
  const cpuBefore = cpuMs(child.pid!);
  let completed = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        await send();
        completed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = cpuMs(child.pid!);
  const xactAfter = await xacts(scratch.databaseUrl);
  agent.destroy();
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  await scratch.drop();
  const result = {
    deliveries: completed,
    failed,
    rps: Math.round(completed / elapsed),
    pg_transactions_per_delivery: Number(((xactAfter - xactBefore - 1) / completed).toFixed(2)),
    web_cpu_ms_per_delivery: Number(((cpuAfter - cpuBefore) / completed).toFixed(3)),
    log_lines_per_delivery: Number(((lines - linesBefore) / completed).toFixed(2)),
    profile_dir: profileDir,
  };
  console.log(JSON.stringify(result, null, 2));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
