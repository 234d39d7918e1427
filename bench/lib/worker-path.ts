/**
 * The worker's apply path in one process, without HTTP or Redis: how many statements and how much CPU (this
 * process, and the PostgreSQL backends serving it) one paid order of the engine benchmark costs, from its inbox
 * row to its ledger entries. Deterministic where the end-to-end benchmark is noisy: the statement count does not
 * depend on the machine's load. bench/engine.ts reports it beside the end-to-end numbers; alone:
 *
 *   npx tsx bench/lib/worker-path.ts      WP_ORDERS=300 WP_CONCURRENCY=8; WP_SHOW=1 prints one order's statements
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { createDatabase } from "~/db.server";
import { processInboxEvent } from "~/services/inbox/process-event.server";
import { insertInboxEvent } from "~/services/ingest/inbox.server";
import { orderBody, seed, SHOP } from "./engine-shop";
import { scratchEnvironment } from "./scratch";

const WARMUP_ORDERS = 50;

export interface WorkerPathResult {
  /** Round trips to PostgreSQL for one new paid order, BEGIN and COMMIT included. */
  readonly statements_per_order: number;
  readonly orders: number;
  readonly concurrency: number;
  readonly orders_per_s: number;
  readonly worker_cpu_ms_per_order: number;
  readonly postgres_cpu_ms_per_order: number;
}

/** Counts every statement sent through pg.Client (Prisma's adapter included) until the returned function is called. */
function countStatements(capture: string[] | null) {
  const counter = { statements: 0 };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    counter.statements++;
    const first = args[0] as string | { text: string };
    capture?.push((typeof first === "string" ? first : first.text).replace(/\s+/g, " ").trim().slice(0, 140));
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Client.prototype.query;
  return { counter, restore: () => void (pg.Client.prototype.query = query) };
}

function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

export async function measureWorkerPath(options: { orders: number; concurrency: number; show?: boolean }): Promise<WorkerPathResult> {
  const scratch = await scratchEnvironment("workerpath");
  const { prisma, pool } = createDatabase(scratch.databaseUrl, options.concurrency + 2);
  try {
    const { leafCodes } = await seed(prisma);
    const shop = await prisma.shop.findFirstOrThrow({ where: { domain: SHOP }, select: { id: true } });
    let next = 9_100_000_000;
    const inbox = async (count: number) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const stored = await insertInboxEvent(pool, {
          shopId: shop.id,
          connectionId: null,
          platform: "shopify",
          eventKey: randomUUID(),
          topic: "orders/paid",
          headers: {},
          rawBody: orderBody(String(next++), leafCodes[i % leafCodes.length]!),
          triggeredAt: null,
        });
        ids.push(stored.eventId!);
      }
      return ids;
    };
    const apply = async (ids: readonly string[], concurrency: number) => {
      let cursor = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (cursor < ids.length) {
            const result = await processInboxEvent(prisma, pool, ids[cursor++]!, shop.id);
            if (result.outcome !== "processed") throw new Error(`not processed: ${JSON.stringify(result)}`);
          }
        }),
      );
    };
    const backendCpuMs = async (known: readonly number[]) => {
      const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
      const pids = [...new Set([...known, ...rows.map((row) => row.pid)])];
      return { pids, ms: pids.reduce((sum, pid) => sum + cpuMsOf(pid), 0) };
    };

    await apply(await inbox(WARMUP_ORDERS), options.concurrency); // JIT, pool, prepared statements, plan cache
    const [single] = await inbox(1);
    const capture = options.show ? ([] as string[]) : null;
    const counting = countStatements(capture);
    try {
      await apply([single!], 1);
    } finally {
      counting.restore();
    }
    if (capture) console.log(capture.join("\n"));

    const ids = await inbox(options.orders);
    const pgBefore = await backendCpuMs([]);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await apply(ids, options.concurrency);
    const seconds = (performance.now() - started) / 1_000;
    const cpu = process.cpuUsage(cpuBefore);
    const pgAfter = await backendCpuMs(pgBefore.pids);
    const perOrder = (ms: number) => Math.round((ms / options.orders) * 100) / 100;
    return {
      statements_per_order: counting.counter.statements,
      orders: options.orders,
      concurrency: options.concurrency,
      orders_per_s: Math.round(options.orders / seconds),
      worker_cpu_ms_per_order: perOrder((cpu.user + cpu.system) / 1_000),
      postgres_cpu_ms_per_order: perOrder(pgAfter.ms - pgBefore.ms),
    };
  } finally {
    await prisma.$disconnect();
    await scratch.drop();
  }
}

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? "")).href) {
  measureWorkerPath({
    orders: Number(process.env.WP_ORDERS ?? 300),
    concurrency: Number(process.env.WP_CONCURRENCY ?? 8),
    show: process.env.WP_SHOW === "1",
  }).then(
    (result) => {
      console.log(JSON.stringify(result));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
