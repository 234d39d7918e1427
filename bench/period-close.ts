/**
 * Period-close benchmark (DESIGN.md §8, issue 6): a month of generated orders for 10,000 distributors, closed by
 * the product's own close (app/services/periods/close-period.server.ts) in one transaction; target ≤ 60 s.
 *
 *   npx tsx bench/period-close.ts          (or: npm run bench -- period-close)
 *   BENCH_PERIOD_DISTRIBUTORS=2000 BENCH_PERIOD_ORDERS=6000 for a quick run; BENCH_KEEP=1 keeps the database.
 *
 * A scratch database migrated with prisma/migrations; the shop, its class, genealogy settings and plan version go
 * through the product's setup services, the distributors and the month's orders are seeded straight into the
 * product's tables (bench/lib/period-close/seed.ts: set-based SQL for the trees, the pure engine for every
 * order's calc snapshot, 1 % of orders refunded). January and February (no orders) are closed first, untimed, so
 * March is closed as in production: after its predecessors, with their carry.
 *
 * Measured: the whole close of March (load every snapshot and the trees as of the period end, the pure close over
 * unilevel earnings + binary + ranks + matching + rank advancement, the ledger posting and every write, commit),
 * and a second close of the same period (a no-op); also the size of the stored close snapshot and the time
 * GET /api/v1/periods/:id's service takes to read it back. Baseline, same run: one SQL aggregate of the month's personal
 * volumes per distributor straight from the same snapshots (jsonb), the least any close must read.
 */
import pg from "pg";
import { createDatabase } from "~/db.server";
import { parsePlanRules, type CommissionCatalog } from "~/domain/engine";
import { createCommissionClass, publishPlanVersion, updateCommissionSettings } from "~/services/commissions/setup.server";
import { updateGenealogySettings } from "~/services/genealogy/settings.server";
import { ensurePeriods } from "~/services/periods/calendar.server";
import { closeCommissionPeriod } from "~/services/periods/close-period.server";
import { closeDuePeriods } from "~/services/periods/close-due.server";
import { periodDetail } from "~/services/api/periods.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { machine, peakRssMb, round, writeResult, type BenchResult } from "./lib/result";
import { scratchEnvironment } from "./lib/scratch";
import { seedDistributors, seedOrders } from "./lib/period-close/seed";

const DISTRIBUTORS = Number(process.env.BENCH_PERIOD_DISTRIBUTORS ?? 10_000);
const ORDERS = Number(process.env.BENCH_PERIOD_ORDERS ?? DISTRIBUTORS * 3);
const REFUND_SHARE = 0.01;
const UNILEVEL_LEVELS = 3;
const MARCH = new Date("2026-03-01T00:00:00Z");
const TARGET_CLOSE_S = 60;

const log = (line: string) => console.log(`[period-close] ${line}`);

const PLAN = {
  schemaVersion: 1,
  period: { schedule: "monthly", minimumPayout: { amountMinor: "2000", currency: "USD" } },
  components: [
    {
      type: "unilevel",
      id: "unilevel",
      maxDepth: UNILEVEL_LEVELS,
      compression: "dynamic",
      rates: { general: ["8", "4", "2"].map((percent) => ({ kind: "percent", percent })) },
    },
    {
      type: "binary",
      id: "binary",
      volume: "pv",
      pairVolume: "100",
      payout: { kind: "percent_of_pair_volume", percent: "10" },
      firstPair: "1:2_or_2:1",
      carry: { mode: "carry", maxPoints: "5000" },
      capPerPeriod: { amountMinor: "50000", currency: "USD" },
    },
    {
      type: "rank",
      id: "ranks",
      volume: "pv",
      activeLegMinPersonalVolume: "50",
      ranks: [
        { id: "bronze", personalVolume: "50", groupVolume: "500", activeLegs: 1 },
        { id: "silver", personalVolume: "100", groupVolume: "2000", maxLegPercent: "60", activeLegs: 2 },
        { id: "gold", personalVolume: "100", groupVolume: "8000", maxLegPercent: "40", activeLegs: 3 },
      ],
    },
    {
      type: "matching",
      id: "matching",
      matches: ["binary", "unilevel"],
      compression: "dynamic",
      generations: [{ percent: "10" }, { percent: "5", minRank: "silver" }],
    },
    { type: "rank_advancement", id: "rankup", currency: "USD", bonuses: { bronze: "2500", silver: "10000", gold: "50000" } },
  ],
};

async function seconds<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, (performance.now() - started) / 1_000];
}

export async function run(): Promise<BenchResult> {
  const env = await scratchEnvironment("period_close");
  const { prisma, pool } = createDatabase(env.databaseUrl, 4);
  const client = new pg.Client({ connectionString: env.databaseUrl });
  await client.connect();
  try {
    const shopId = (await ensureShopifyShop(prisma, "period-close-bench.myshopify.com")).id;
    await updateCommissionSettings(prisma, shopId, { refundWindowDays: 30 }, "bench");
    await updateGenealogySettings(prisma, shopId, { placement: { kind: "binary", spillover: { kind: "breadth-first" } } }, "bench");
    await createCommissionClass(prisma, shopId, { key: "general", name: "General", isDefault: true });
    const version = await publishPlanVersion(prisma, shopId, PLAN, "2026-01-01T00:00:00Z", "bench");
    const plan = { id: version.id, version: version.version, rules: parsePlanRules(PLAN) };
    const catalog: CommissionCatalog = {
      defaultClassId: "general",
      classes: [{ id: "general", name: "General", pv: { kind: "share_of_net", percent: "100" }, cv: { kind: "share_of_net", percent: "100" } }],
      mappings: [],
    };

    const [nodes, seedTreeS] = await seconds(() => seedDistributors(client, shopId, DISTRIBUTORS));
    log(`seeded ${nodes.length} distributors in ${round(seedTreeS)} s`);
    const [seeded, seedOrdersS] = await seconds(() =>
      seedOrders(
        client,
        shopId,
        nodes,
        { distributors: DISTRIBUTORS, orders: ORDERS, refundShare: REFUND_SHARE, monthStart: MARCH },
        plan,
        catalog,
        UNILEVEL_LEVELS,
      ),
    );
    log(`seeded ${seeded.orders} orders (${seeded.refunds} refunded) in ${round(seedOrdersS)} s`);
    await client.query("VACUUM ANALYZE");

    const [before] = await seconds(() => closeDuePeriods(prisma, { now: MARCH, shopId }));
    log(`closed ${before.closed} earlier periods`);
    await ensurePeriods(prisma, shopId, new Date(MARCH.getTime() + 1));
    const march = await prisma.commissionPeriod.findFirstOrThrow({ where: { shopId, key: "2026-03" } });

    const [baselineRows, baselineS] = await seconds(
      async () =>
        (
          await client.query(
            `SELECT COALESCE(e #>> '{snapshot,buyer,distributorId}', e #>> '{snapshot,upline,0,distributorId}') AS owner,
             sum((e #>> '{totals,pvHundredths}')::bigint) AS pv
           FROM (SELECT "evaluation"::jsonb AS e FROM "Commission"
                 WHERE "shopId" = $1 AND "outcome" = 'evaluated' AND "orderedAt" >= $2 AND "orderedAt" < $3) o
           GROUP BY 1`,
            [shopId, "2026-03-01", "2026-04-01"],
          )
        ).rowCount,
    );
    log(`baseline aggregate: ${baselineRows} owners in ${round(baselineS, 3)} s`);

    const now = new Date("2026-04-01T00:00:00Z");
    const [outcome, closeS] = await seconds(() => closeCommissionPeriod(prisma, shopId, march.id, { actor: "bench", now }));
    if (outcome.action !== "closed") throw new Error(`expected the close to post, got ${outcome.action}`);
    log(`close: ${round(closeS, 2)} s, ${JSON.stringify(outcome.summary)}`);
    const [again, againS] = await seconds(() => closeCommissionPeriod(prisma, shopId, march.id, { actor: "bench", now }));
    if (again.action !== "already_closed") throw new Error("a second close posted");
    const snapshotBytes = Number(
      (
        await client.query<{ bytes: string }>(`SELECT octet_length("snapshot") AS bytes FROM "PeriodCloseRun" WHERE "periodId" = $1 AND "action" = 'close'`, [
          march.id,
        ])
      ).rows[0]?.bytes ?? 0,
    );
    const [, detailS] = await seconds(() => periodDetail(prisma, shopId, march.id, new URLSearchParams()));

    const result: BenchResult = {
      name: "period-close",
      when: new Date().toISOString(),
      machine: machine(),
      params: {
        distributors: DISTRIBUTORS,
        orders: seeded.orders,
        refunded_orders: seeded.refunds,
        per_order_commission_lines: seeded.lines,
        period: "2026-03 (monthly, UTC)",
        plan: "unilevel 3 levels + binary (10 % of pair volume, 1:2 first pair, carry capped, cap per period) + 3 ranks with leg caps + matching 2 generations + rank advancement",
        placement: "binary, heap-shaped (depth 13)",
        sponsor_tree: "random earlier sponsor",
        inactive_share: 0.05,
      },
      metrics: {
        distributors: DISTRIBUTORS,
        close_s: round(closeS, 2),
        close_again_s: round(againS, 3),
        period_lines: outcome.summary.lines,
        ledger_transactions: outcome.summary.transactions,
        ranks_written: outcome.summary.ranksWritten,
        close_load_s: round(outcome.summary.timings.loadMs / 1_000, 2),
        close_compute_s: round(outcome.summary.timings.computeMs / 1_000, 2),
        close_write_s: round(outcome.summary.timings.writeMs / 1_000, 2),
        close_snapshot_mb: round(snapshotBytes / 1_048_576, 1),
        period_detail_read_s: round(detailS, 3),
        bench_process_peak_rss_mb: peakRssMb(process.pid),
      },
      baseline: { name: "same-run SQL aggregate of the month's personal volumes from the same snapshots (jsonb)", aggregate_s: round(baselineS, 3) },
      ratios: { close_vs_baseline: round(closeS / baselineS, 1), close_vs_target: round(closeS / TARGET_CLOSE_S, 3) },
      targets: { close_s: `≤ ${TARGET_CLOSE_S}` },
    };
    log(`wrote ${writeResult(result)}`);
    return result;
  } finally {
    await client.end();
    await prisma.$disconnect();
    await pool.end().catch(() => {});
    if (process.env.BENCH_KEEP) log(`kept ${env.databaseUrl}`);
    else await env.drop();
  }
}

// `npx tsx bench/period-close.ts` runs it alone; bench/run.ts imports run().
if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
}
