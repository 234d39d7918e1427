/**
 * Admin list pages benchmark (issue 13): every list page's loader service at a million distributors and five
 * million ledger postings, p99 over ≥ 100 samples each, each beside a same-run primary-key read.
 *
 *   npx tsx bench/admin.ts          (or: npm run bench -- admin)
 *   BENCH_ADMIN_DISTRIBUTORS=50000 BENCH_ADMIN_POSTINGS=200000 BENCH_ADMIN_SAMPLES=100 for a quick run;
 *   BENCH_KEEP=1 keeps the scratch database.
 *
 * A scratch database migrated with prisma/migrations gets the genealogy benchmark's tree (lib/genealogy/seed.ts)
 * and then orders, a balanced double-entry ledger, webhook events and reconciliation days (lib/admin/seed.ts).
 * Measured, through Prisma with the app's own client settings, the services the pages' loaders call:
 *   - distributors: distributorList (app/routes/app.distributors._index.tsx) for code prefixes, e-mail and name
 *     fragments, and the unfiltered first page;
 *   - tree children: treeChildren (the explorer, lazy children of one node) for random recruiters and the
 *     heaviest frontlines;
 *   - ledger: ledgerPage (app/routes/app.ledger.tsx) unfiltered, by distributor, order, kind, 30 days, page 2;
 *   - events: listEvents (app/routes/app.events.tsx) for every status tab;
 *   - reconciliation days: reconciliationDays (the Ledger page's reconciliation tab), random pages.
 * Each call is preceded by the baseline, a primary-key read of a distributor through the same client
 * (DESIGN.md §8); rounds and the reported round as in lib/genealogy/measure.ts.
 */
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { createPrismaClient, type Db } from "~/db.server";
import { distributorList } from "~/services/admin/distributors.server";
import { ledgerPage } from "~/services/admin/ledger.server";
import { reconciliationDays } from "~/services/admin/reconciliation-days.server";
import { treeChildren } from "~/services/admin/tree.server";
import { listEvents } from "~/services/inbox/replay.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { LEDGER_TABLES, OTHER_TABLES, seedAdmin, type AdminShape } from "./lib/admin/seed";
import { GENEALOGY_TABLES } from "./lib/genealogy/load";
import { mb, reported, sampleLatency, sumOf, type Measured } from "./lib/genealogy/measure";
import { PK_LOOKUP } from "./lib/genealogy/queries";
import { seedTree } from "./lib/genealogy/seed";
import { treeShape } from "./lib/genealogy/tree";
import { machine, round, writeResult, type BenchResult } from "./lib/result";
import { scratchEnvironment } from "./lib/scratch";

const DISTRIBUTORS = Number(process.env.BENCH_ADMIN_DISTRIBUTORS ?? 1_000_000);
const POSTINGS = Number(process.env.BENCH_ADMIN_POSTINGS ?? 5_000_000);
const SAMPLES = Math.max(100, Number(process.env.BENCH_ADMIN_SAMPLES ?? 200));
const CHAIN = 1_000;
const TARGET_MS = 300;
const SHOP_DOMAIN = "admin-bench.myshopify.com";

const log = (line: string) => console.log(`[admin] ${line}`);

interface Context {
  client: pg.Client;
  prisma: Db;
  shopId: string;
  /** Random distributor ids for the baseline read, one per sample. */
  baselineIds: string[];
}

const pick = <T>(list: readonly T[], index: number) => list[index % list.length]!;

function measure(context: Context, calls: readonly (() => Promise<number>)[]) {
  const { prisma, shopId, baselineIds } = context;
  return sampleLatency({
    count: calls.length,
    warmup: Math.min(20, calls.length),
    baseline: (index) => prisma.$queryRawUnsafe(PK_LOOKUP, shopId, pick(baselineIds, index)),
    run: (index) => calls[index]!(),
  });
}

const params = (entries: Record<string, string>) => new URLSearchParams(entries);

async function column(client: pg.Client, sql: string): Promise<string[]> {
  return (await client.query<{ v: string }>(sql)).rows.map((row) => String(row.v));
}

async function pages(context: Context) {
  const { client, prisma, shopId } = context;
  await client.query("SELECT setseed(0.31)");
  const sample = (sql: string) => column(client, `SELECT v FROM (${sql}) AS s ORDER BY random() LIMIT ${SAMPLES}`);
  const codes = await sample(`SELECT code AS v FROM "Distributor" WHERE NOT "isCompanyNode"`);
  const ns = await sample(`SELECT n AS v FROM seed_node WHERE n > 1`);
  const recruiters = await sample(`SELECT DISTINCT "sponsorId" AS v FROM "SponsorEdge" WHERE "sponsorId" IS NOT NULL AND "validTo" IS NULL`);
  const heaviest = await column(
    client,
    `SELECT "sponsorId" AS v FROM "SponsorEdge" WHERE "validTo" IS NULL AND "sponsorId" IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 20`,
  );
  const beneficiaries = await sample(
    `SELECT d.code AS v FROM "LedgerTransaction" t JOIN "Distributor" d ON d.id = t."distributorId" WHERE t.kind = 'commission'`,
  );
  const orderNumbers = await sample(`SELECT "orderNumber" AS v FROM "Order"`);
  const days = await sample(`SELECT to_char(day, 'YYYY-MM-DD') AS v FROM "ReconciliationReport"`);
  const kinds = [
    "commission",
    "commission_reversal",
    "hold_release",
    "period_commission",
    "period_correction",
    "payout",
    "payout_settlement",
    "payout_reversal",
  ];
  const rows = (page: { ok: boolean; rows?: unknown[] }) => (page.ok ? (page.rows?.length ?? 0) : -1);
  const today = new Date();
  const daysAgo = (days: number) => new Date(today.getTime() - days * 86_400_000).toISOString().slice(0, 10);
  const secondPage = await ledgerPage(prisma, shopId, params({}));
  const after = secondPage.ok ? (secondPage.next ?? "") : "";

  const n = SAMPLES;
  const distributorsCalls = Array.from({ length: n }, (_, i) => {
    const q = [pick(codes, i).slice(0, 4), `d${pick(ns, i)}@`, `Distributor ${pick(ns, i + 1)}`, ""][i % 4]!;
    return async () => (await distributorList(prisma, shopId, params(q ? { q } : {}))).items.length;
  });
  const treeCalls = Array.from({ length: n }, (_, i) => {
    const parent = i % 10 === 0 ? pick(heaviest, i / 10) : pick(recruiters, i);
    return async () => (await treeChildren(prisma, shopId, i % 50 === 1 ? null : parent)).children.length;
  });
  const ledgerCalls = Array.from({ length: n }, (_, i) => {
    const filters: Record<string, string>[] = [
      {},
      { distributor: pick(beneficiaries, i) },
      { order: `#${pick(orderNumbers, i)}` },
      { kind: pick(kinds, i) },
      { from: daysAgo(30 + (i % 300)), to: daysAgo(i % 300) },
      { kind: pick(kinds, i), from: daysAgo(30), to: daysAgo(0) },
      { after },
    ];
    const filter = filters[i % filters.length]!;
    return async () => rows(await ledgerPage(prisma, shopId, params(filter)));
  });
  const statuses = [undefined, "dead", "failed", "rejected"] as const;
  const eventCalls = Array.from({ length: n }, (_, i) => async () => (await listEvents(prisma, shopId, { status: pick(statuses, i) })).length);
  const reconciliationCalls = Array.from(
    { length: n },
    (_, i) => async () => (await reconciliationDays(prisma, shopId, { before: i % 3 === 0 ? null : pick(days, i), unbalancedOnly: i % 5 === 4 })).days.length,
  );

  const result: Record<string, { latency: Measured; rowCounts: number[] }> = {};
  for (const [name, calls] of [
    ["distributors_search", distributorsCalls],
    ["tree_children", treeCalls],
    ["ledger_filter", ledgerCalls],
    ["webhook_events", eventCalls],
    ["reconciliation_days", reconciliationCalls],
  ] as const) {
    result[name] = await measure(context, calls);
    const latency = result[name].latency;
    log(`${name}: p50 ${latency.p50_ms} ms, p99 ${latency.p99_ms} ms (baseline p99 ${latency.baseline_p99_ms} ms)`);
  }
  return result;
}

async function benchmark(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const prisma = createPrismaClient(databaseUrl, 2);
  try {
    await client.query("SET TIME ZONE 'UTC'");
    await client.query("SET jit = off");
    await client.query("SET maintenance_work_mem = '512MB'");
    await client.query("SET work_mem = '64MB'");
    const shop = await ensureShopifyShop(prisma, SHOP_DOMAIN);
    const now = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
    const shape: AdminShape = {
      distributors: DISTRIBUTORS,
      orders: Math.round(POSTINGS / 10),
      postings: POSTINGS,
      events: Math.round(POSTINGS / 25),
      reconciliationDays: 730,
    };
    const treeSteps = await seedTree(client, treeShape(DISTRIBUTORS - CHAIN, CHAIN), shop.id, now, { initialStatusRow: false }, log);
    const adminSteps = await seedAdmin(client, shape, shop.id, now, log);
    await client.query("RESET work_mem");
    const seedSeconds = round(sumOf(treeSteps) + sumOf(adminSteps), 1);
    log(`seeded in ${seedSeconds} s`);
    const counts: Record<string, number> = {};
    for (const table of [...GENEALOGY_TABLES, ...LEDGER_TABLES, ...OTHER_TABLES]) {
      counts[table] = Number((await client.query(`SELECT count(*) AS c FROM "${table}"`)).rows[0].c);
    }
    const bytes: Record<string, number> = {};
    for (const table of [...LEDGER_TABLES, ...OTHER_TABLES, "Distributor"]) {
      bytes[table] = mb(Number((await client.query(`SELECT pg_total_relation_size('"${table}"') AS b`)).rows[0].b));
    }
    await client.query("SELECT setseed(0.77)");
    const baselineIds = await column(client, `SELECT id AS v FROM seed_node ORDER BY random() LIMIT 1000`);
    const measured = await pages({ client, prisma, shopId: shop.id, baselineIds });
    return { shape, now, seedSeconds, steps: { ...treeSteps, ...adminSteps }, counts, bytes, measured };
  } finally {
    await client.end();
    await prisma.$disconnect();
  }
}

export async function run(): Promise<BenchResult> {
  const scratch = await scratchEnvironment("admin");
  let measured: Awaited<ReturnType<typeof benchmark>>;
  try {
    measured = await benchmark(scratch.databaseUrl);
  } finally {
    if (process.env.BENCH_KEEP === "1") log(`kept ${scratch.databaseUrl}`);
    else await scratch.drop();
  }
  const pagesMeasured = measured.measured;
  const worst = Math.max(...Object.values(pagesMeasured).map((m) => m.latency.p99_ms));
  const metrics: Record<string, number> = {
    distributors: measured.counts.Distributor!,
    postings: measured.counts.LedgerPosting!,
    loader_p99_ms: worst,
    seed_s: measured.seedSeconds,
  };
  const baseline: BenchResult["baseline"] = { name: "primary-key read of a random distributor through the same Prisma client, just before each measured call" };
  const ratios: Record<string, number> = {};
  for (const [name, { latency }] of Object.entries(pagesMeasured)) {
    metrics[`${name}_p99_ms`] = latency.p99_ms;
    baseline[`${name}_p99_ms`] = latency.baseline_p99_ms;
    ratios[`${name}_p99_vs_baseline_p99`] = latency.p99_vs_baseline_p99;
  }
  const result: BenchResult = {
    name: "admin",
    when: new Date().toISOString(),
    machine: machine(),
    params: {
      ...measured.shape,
      samples_per_page: SAMPLES,
      now: measured.now,
      schema: "prisma/migrations",
      loaders:
        "distributorList, treeChildren, ledgerPage, listEvents, reconciliationDays (app/services/admin/*, app/services/inbox/replay.server.ts) through Prisma, jit off as the app's pool",
      ledger_seed:
        "balanced two-leg transactions (kinds by share: commission 80%, hold_release 10%, reversal 5%, payouts 4%, period 1%), checked by the trigger's rule after the load",
    },
    metrics,
    baseline,
    ratios,
    targets: { loader_p99_ms: `≤ ${TARGET_MS}` },
  };
  Object.assign(result, {
    details: {
      rows: measured.counts,
      storage_mb: measured.bytes,
      seed_steps_s: measured.steps,
      pages: Object.fromEntries(Object.entries(pagesMeasured).map(([name, m]) => [name, reported(m.latency)])),
      meets_target: worst <= TARGET_MS,
      load_average_1m_at_end: round(os.loadavg()[0]!, 2),
    },
  });
  console.log(
    `\nadmin: worst list loader p99 ${worst} ms (target ≤ ${TARGET_MS} ms), load average ${os
      .loadavg()
      .map((l) => round(l, 2))
      .join(" ")}`,
  );
  log(`wrote ${writeResult(result)}`);
  return result;
}

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? "")).href) {
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
