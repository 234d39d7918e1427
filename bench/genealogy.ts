/**
 * Genealogy benchmark (DESIGN.md §8, issue 5): the chosen storage (adjacency list of effective-dated edges,
 * recursive CTEs; bench/GENEALOGY-STORAGE.md) at a million distributors, in the project's own tables.
 *
 *   npx tsx bench/genealogy.ts          (or: npm run bench -- genealogy)
 *   BENCH_GENEALOGY_DISTRIBUTORS=50000 BENCH_GENEALOGY_CHAIN=2000 BENCH_GENEALOGY_SAMPLES=300 for a quick run;
 *   BENCH_KEEP=1 keeps the scratch database.
 *
 * A scratch database migrated with prisma/migrations is seeded set-based (tree.ts, load.ts) with a realistic
 * random tree plus one 10,000-deep chain. Then, each beside a same-run primary-key lookup of the same
 * distributor through the same client (the baseline), the app's own query functions through Prisma:
 *   - the upline of 10 levels at a past T: `uplineAt` (the engine's snapshot, with status and absolute depth)
 *     and `uplineDetailsAt` (REST and explorer, with code, status and paid-as rank);
 *   - `downlinePage`: levels 1..3, per-level counts and live volumes, a keyset page of 50, for random
 *     recruiters and the 20 heaviest downlines;
 *   - binary leg volumes per order at placement depth 1,000: derived (legs summed at period close; per order
 *     at most one personal-volume upsert, and nothing in the product, whose close derives PeriodVolume from
 *     the period's orders) against the eager alternative (update the leg of all 1,000 ancestors);
 *   - storage of the genealogy tables (pg_total_relation_size), by table and by index.
 * Timings are client-side over loopback (what a service pays); see measure.ts for rounds and the baseline.
 */
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { createPrismaClient, type Db } from "~/db.server";
import { PrismaClient } from "~/generated/prisma/client";
import { downlinePage as appDownlinePage, uplineDetailsAt } from "~/services/genealogy/queries.server";
import { uplineAt } from "~/services/genealogy/upline.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { GENEALOGY_TABLES, PERIOD_TABLES } from "./lib/genealogy/load";
import { closeLegVolumes } from "./lib/genealogy/leg-close";
import { mb, reported, sampleLatency, sumOf, tailKey, timed, type Measured } from "./lib/genealogy/measure";
import { downlinePage, LEG_VOLUME_EAGER, PERSONAL_VOLUME_UPSERT, PK_LOOKUP, placementUpline } from "./lib/genealogy/queries";
import { seedTree } from "./lib/genealogy/seed";
import { benchHelpersSql, SAMPLES_SQL, treeShape, treeShapeSql, type Sample, type TreeShape } from "./lib/genealogy/tree";
import { machine, round, writeResult, type BenchResult } from "./lib/result";
import { scratchEnvironment } from "./lib/scratch";

const DISTRIBUTORS = Number(process.env.BENCH_GENEALOGY_DISTRIBUTORS ?? 1_000_000);
const CHAIN = Number(process.env.BENCH_GENEALOGY_CHAIN ?? 10_000);
const SAMPLES = Number(process.env.BENCH_GENEALOGY_SAMPLES ?? 2_000);
const LEVELS = 10;
const ORDERS = 200;
const SHOP_DOMAIN = "genealogy-bench.myshopify.com";
const NIL = "00000000-0000-0000-0000-000000000000";
/** Enrolment writes no status row for an active recruit (app/services/genealogy/enroll.server.ts, §7). */
const INITIAL_STATUS_ROW = false;

const log = (line: string) => console.log(`[genealogy] ${line}`);

interface Context {
  client: pg.Client;
  prisma: Db;
  shopId: string;
  shape: TreeShape;
  now: string;
  /** The first day of `now`'s month: the current period. */
  period: string;
}

/** Times one node-postgres prepared statement per parameter set, beside the primary-key lookup of values[1]. */
function sqlSampling(context: Context, name: string, text: string, parameterSets: unknown[][], warmup?: number) {
  const { client, shopId } = context;
  return sampleLatency({
    count: parameterSets.length,
    warmup,
    baseline: (index) => client.query({ name: "baseline_pk", text: PK_LOOKUP, values: [shopId, parameterSets[index]![1]] }),
    run: async (index) => (await client.query({ name, text, values: parameterSets[index] })).rowCount ?? 0,
  });
}

/** One of the app's own query functions through Prisma, beside the same primary-key lookup through the same client. */
function appSampling(
  context: Context,
  prisma: Db,
  samples: readonly Sample[],
  call: (prisma: Db, shopId: string, id: string, at: Date) => Promise<number>,
  warmup?: number,
) {
  const { shopId } = context;
  return sampleLatency({
    count: samples.length,
    warmup,
    baseline: (index) => prisma.$queryRawUnsafe(PK_LOOKUP, shopId, samples[index]!.id),
    run: (index) => call(prisma, shopId, samples[index]!.id, new Date(samples[index]!.at)),
  });
}

/** What the engine's snapshot calls: app/services/genealogy/upline.server.ts (walks to the root for the depth). */
const engineUpline = async (prisma: Db, shopId: string, id: string, at: Date) => (await uplineAt(prisma, shopId, id, at, LEVELS)).length;
/** What the REST upline and the explorer call: code, status and paid-as rank per level (§8 SQL). */
const restUpline = async (prisma: Db, shopId: string, id: string, at: Date) => (await uplineDetailsAt(prisma, shopId, id, at, LEVELS)).length;
/** What the REST downline calls: levels 1..3, counts and live volumes per level, the first page of 50. */
const restDownline = async (prisma: Db, shopId: string, id: string, at: Date) => (await appDownlinePage(prisma, shopId, id, at, 3, null)).members.length;

async function measureUpline(context: Context, samples: readonly Sample[]) {
  return {
    engine: await appSampling(context, context.prisma, samples, engineUpline),
    rest: await appSampling(context, context.prisma, samples, restUpline),
  };
}

/**
 * The app's downline page for random recruiters and the 20 heaviest; for the heaviest also with JIT ON (the
 * server's default, which the app's connections turn off: what that setting saves) and without the live volumes
 * (§6 of GENEALOGY-STORAGE.md: what a snapshot of level volumes would save).
 */
async function measureDownline(context: Context, jitOnPrisma: Db, random: readonly Sample[], heaviest: readonly Sample[]) {
  const { shopId, period } = context;
  return {
    random: await appSampling(context, context.prisma, random, restDownline),
    heaviest: await appSampling(context, context.prisma, heaviest, restDownline, 2),
    heaviestJitOn: await appSampling(context, jitOnPrisma, heaviest, restDownline, 2),
    heaviestCountsOnly: await sqlSampling(
      context,
      "down",
      downlinePage(false),
      heaviest.map((s) => [shopId, s.id, s.at, 0, NIL, period]),
      2,
    ),
  };
}

async function measureLegVolumes(context: Context) {
  const { client, shopId, shape, now, period } = context;
  const scalar = async (text: string, values: unknown[] = []) => (await client.query({ text, values, rowMode: "array" })).rows[0]?.[0];
  const buyer = String(await scalar(`SELECT id FROM bench_node WHERE n = ${shape.buyerN}`));
  const depth = Number(await scalar(`${placementUpline(1_000_000)} SELECT count(*) FROM up`, [shopId, buyer, now]));
  await client.query("SELECT setseed(0.5)");
  const typical = (await client.query<{ id: string }>(`SELECT id FROM bench_node WHERE n <= ${shape.distributors} ORDER BY random() LIMIT ${ORDERS}`)).rows.map(
    (row) => row.id,
  );
  const eagerDeep = await sqlSampling(
    context,
    "leg_eager",
    LEG_VOLUME_EAGER,
    typical.map((_, i) => [shopId, buyer, now, period, 1_000 + i]),
    10,
  );
  const eagerTypical = await sqlSampling(
    context,
    "leg_eager",
    LEG_VOLUME_EAGER,
    typical.map((id, i) => [shopId, id, now, period, 1_000 + i]),
    10,
  );
  const derivedDeep = await sqlSampling(
    context,
    "pv_upsert",
    PERSONAL_VOLUME_UPSERT,
    typical.map((_, i) => [shopId, buyer, period, 1_000 + i]),
    10,
  );
  const derivedTypical = await sqlSampling(
    context,
    "pv_upsert",
    PERSONAL_VOLUME_UPSERT,
    typical.map((id, i) => [shopId, id, period, 1_000 + i]),
    10,
  );
  const placement10 = await sqlSampling(
    context,
    "placement_up_10",
    `${placementUpline(LEVELS)} SELECT level, "parentId", position FROM up`,
    typical.map((id) => [shopId, id, now]),
  );
  await client.query(`CREATE UNLOGGED TABLE bench_leg_close (LIKE "BinaryLegVolume" INCLUDING DEFAULTS)`);
  const close = await closeLegVolumes(
    {
      readEdges: async () =>
        (
          await client.query({
            text: `SELECT "distributorId", "parentId", position FROM "PlacementEdge"
                   WHERE "shopId" = $1 AND "parentId" IS NOT NULL AND "validFrom" <= $2::timestamp
                     AND ("validTo" IS NULL OR "validTo" > $2::timestamp)`,
            values: [shopId, now],
            rowMode: "array",
          })
        ).rows as [string, string, number][],
      readVolumes: async () =>
        (
          await client.query({
            text: `SELECT "distributorId", "pvHundredths" FROM "PeriodVolume" WHERE "shopId" = $1 AND "periodStart" = $2::date`,
            values: [shopId, period],
            rowMode: "array",
          })
        ).rows as [string, string][],
      write: async (ids, left, right) => {
        await client.query(
          `INSERT INTO bench_leg_close ("shopId", "distributorId", "periodStart", "leftHundredths", "rightHundredths")
           SELECT $1, unnest($2::uuid[]), $3::date, unnest($4::bigint[]), unnest($5::bigint[])`,
          [shopId, ids, period, left, right],
        );
      },
    },
    log,
  );
  await client.query("DROP TABLE bench_leg_close");
  return { depth, eagerDeep, eagerTypical, derivedDeep, derivedTypical, placement10, close };
}

async function storage(client: pg.Client) {
  const bytes: Record<string, number> = {};
  for (const table of [...GENEALOGY_TABLES, ...PERIOD_TABLES]) {
    bytes[table] = Number((await client.query(`SELECT pg_total_relation_size('"${table}"') AS b`)).rows[0].b);
  }
  const genealogy = sumOf(Object.fromEntries(GENEALOGY_TABLES.map((t) => [t, bytes[t]!])));
  const periods = sumOf(Object.fromEntries(PERIOD_TABLES.map((t) => [t, bytes[t]!])));
  // Which keys and indexes the bytes go to: the first place to look when the total moves.
  const parts = await client.query<{ name: string; bytes: string }>(
    `SELECT c.oid::regclass::text AS name, pg_relation_size(c.oid) AS bytes FROM pg_class c
     WHERE c.oid = ANY($1::regclass[])
     UNION ALL
     SELECT i.indexrelid::regclass::text, pg_relation_size(i.indexrelid) FROM pg_index i WHERE i.indrelid = ANY($1::regclass[])
     ORDER BY 1`,
    [GENEALOGY_TABLES.map((t) => `"${t}"`)],
  );
  return {
    genealogy,
    periods,
    byTable: Object.fromEntries(Object.entries(bytes).map(([t, b]) => [t, mb(b)])),
    byRelation: Object.fromEntries(parts.rows.map((row) => [row.name.replace(/"/g, ""), mb(Number(row.bytes))])),
  };
}

async function benchmark(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // The app's own client (app/db.server.ts starts its connections with jit=off), and for one comparison the same
  // client with JIT on, the server's default.
  const prisma = createPrismaClient(databaseUrl, 2);
  const jitOnPrisma = new PrismaClient({
    adapter: new PrismaPg(new pg.Pool({ connectionString: databaseUrl, max: 2, options: "-c jit=on" }), { disposeExternalPool: true }),
  });
  try {
    await client.query("SET TIME ZONE 'UTC'");
    // The bench's own statements (baselines, leg volumes, counts) run as the app's connections do.
    await client.query("SET jit = off");
    const jitOf = async (db: Db) => (await db.$queryRaw<{ jit: string }[]>`SELECT current_setting('jit') AS jit`)[0]?.jit ?? "unknown";
    const jit = {
      app_connections: await jitOf(prisma),
      bench_client: String((await client.query("SHOW jit")).rows[0]?.jit),
      jit_on_comparison: await jitOf(jitOnPrisma),
    };
    // Session settings a bulk-load job would use; nothing server-wide is changed.
    await client.query("SET maintenance_work_mem = '512MB'");
    await client.query("SET work_mem = '64MB'");
    const shop = await ensureShopifyShop(prisma, SHOP_DOMAIN);
    const now = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
    const context: Context = { client, prisma, shopId: shop.id, shape: treeShape(DISTRIBUTORS, CHAIN), now, period: `${now.slice(0, 7)}-01` };

    const seedSteps = await seedTree(client, context.shape, context.shopId, now, { initialStatusRow: INITIAL_STATUS_ROW }, log);
    const seedSeconds = round(sumOf(seedSteps), 1);
    log(`seeded ${DISTRIBUTORS + CHAIN} distributors in ${seedSeconds} s`);
    const helperSteps: Record<string, number> = {};
    await timed(helperSteps, "bench helpers (not counted)", () => client.query(benchHelpersSql(context.shape)), log);
    await client.query("RESET work_mem");
    const tree = (await client.query(treeShapeSql(context.shape))).rows[0] as Record<string, string>;
    const rows: Record<string, number> = {};
    for (const table of [...GENEALOGY_TABLES, ...PERIOD_TABLES]) {
      rows[table] = Number((await client.query(`SELECT count(*) AS c FROM "${table}"`)).rows[0].c);
    }
    const sizes = await storage(client);
    log(`tree ${JSON.stringify(tree)}; genealogy ${mb(sizes.genealogy)} MB`);

    await client.query("SELECT setseed(0.17)");
    const sample = async (text: string) => (await client.query<Sample>(text, [now])).rows;
    const uplineSamples = await sample(SAMPLES_SQL.upline(context.shape, SAMPLES));
    const downlineSamples = await sample(SAMPLES_SQL.downline(Math.min(1_000, SAMPLES)));
    const heaviestSamples = await sample(SAMPLES_SQL.heaviest);

    // Every measured connection runs with jit=off, as the app's pool does (app/db.server.ts), but the JIT-on comparison.
    const upline = await measureUpline(context, uplineSamples);
    log(`upline (engine's uplineAt) p50 ${upline.engine.latency.p50_ms} ms, p99 ${upline.engine.latency.p99_ms} ms`);
    const chainAt = new Date(Date.parse(now) - 86_400_000).toISOString();
    const deepest = String((await client.query(`SELECT id FROM bench_node WHERE n = ${DISTRIBUTORS + CHAIN}`)).rows[0].id);
    const chainSamples = Array.from({ length: 3 }, () => ({ id: deepest, at: chainAt }));
    const chainUpline = await appSampling(context, prisma, chainSamples, engineUpline, 1);
    const downline = await measureDownline(context, jitOnPrisma, downlineSamples, heaviestSamples);
    log(`downline page p99 ${downline.random.latency.p99_ms} ms (random), ${downline.heaviest.latency.p99_ms} ms (20 heaviest)`);
    const legs = await measureLegVolumes(context);
    log(`leg volumes at depth ${legs.depth}: eager p99 ${legs.eagerDeep.latency.p99_ms} ms, derived p99 ${legs.derivedDeep.latency.p99_ms} ms`);
    return { context, seedSteps, seedSeconds, tree, rows, sizes, upline, chainUpline, downline, legs, jit };
  } finally {
    await client.end();
    await prisma.$disconnect();
    await jitOnPrisma.$disconnect();
  }
}

const latency = (measured: { latency: Measured }) => reported(measured.latency);
/** `${prefix}_p99_vs_baseline_p99`, or with max for both below 100 samples. */
const vsBaselineKey = (prefix: string, measured: Measured) => tailKey(prefix, measured, `_vs_baseline_${tailKey("", measured, "").slice(1)}`);

export async function run(): Promise<BenchResult> {
  const scratch = await scratchEnvironment("genealogy");
  let measured: Awaited<ReturnType<typeof benchmark>>;
  try {
    measured = await benchmark(scratch.databaseUrl);
  } finally {
    if (process.env.BENCH_KEEP === "1") log(`kept ${scratch.databaseUrl}`);
    else await scratch.drop();
  }
  const { context, upline, downline, legs, sizes } = measured;
  const engine = upline.engine.latency;
  const result: BenchResult = {
    name: "genealogy",
    when: new Date().toISOString(),
    machine: machine(),
    params: {
      distributors_random_tree: DISTRIBUTORS,
      chain: CHAIN,
      samples: SAMPLES,
      upline_levels: LEVELS,
      downline_levels: 3,
      downline_page_size: 50,
      rounds: engine.p99_by_round.length,
      now: context.now,
      schema: "prisma/migrations",
      upline: "uplineAt (app/services/genealogy/upline.server.ts), the engine's snapshot, through Prisma",
      downline: "downlinePage (app/services/genealogy/queries.server.ts), the REST downline, through Prisma",
      jit: `${measured.jit.app_connections} on the app's connections (app/db.server.ts starts them with -c jit=off) and ${measured.jit.bench_client} on the bench's own client, as the app runs; ${measured.jit.jit_on_comparison} only for details.downline_page_20_heaviest_jit_on`,
      leg_volume_derived:
        "per order: one PeriodVolume upsert (an upper bound: the product's period close derives PeriodVolume from the period's orders and writes nothing per order); per close: subtree sums of every node in memory",
    },
    metrics: {
      distributors: DISTRIBUTORS + CHAIN,
      seed_s: measured.seedSeconds,
      // Tail keys say p99 from 100 samples on, max below (measure.ts reported); the 20 heaviest are always max.
      upline_p50_ms: engine.p50_ms,
      [tailKey("upline", engine)]: engine.p99_ms,
      [tailKey("downline_page", downline.random.latency)]: downline.random.latency.p99_ms,
      storage_mb: mb(sizes.genealogy),
      [tailKey("upline_rest", upline.rest.latency)]: upline.rest.latency.p99_ms,
      [tailKey("downline_page_heaviest", downline.heaviest.latency)]: downline.heaviest.latency.p99_ms,
      [tailKey("leg_volume_derived_per_order", legs.derivedDeep.latency)]: legs.derivedDeep.latency.p99_ms,
      [tailKey("leg_volume_eager_per_order", legs.eagerDeep.latency)]: legs.eagerDeep.latency.p99_ms,
      leg_volume_period_close_s: legs.close.total_s!,
      storage_period_tables_mb: mb(sizes.periods),
    },
    baseline: {
      name: "primary-key lookup of the same distributor through the same client, just before each measured call",
      p50_ms: engine.baseline_p50_ms,
      [tailKey("", engine).slice(1)]: engine.baseline_p99_ms,
      [tailKey("downline", downline.random.latency)]: downline.random.latency.baseline_p99_ms,
    },
    ratios: {
      [vsBaselineKey("upline", engine)]: engine.p99_vs_baseline_p99,
      [vsBaselineKey("upline_rest", upline.rest.latency)]: upline.rest.latency.p99_vs_baseline_p99,
      [vsBaselineKey("downline_page", downline.random.latency)]: downline.random.latency.p99_vs_baseline_p99,
      [vsBaselineKey("downline_page_heaviest", downline.heaviest.latency)]: downline.heaviest.latency.p99_vs_baseline_p99,
      [tailKey("leg_volume_eager_vs_derived", legs.eagerDeep.latency, "")]: round(legs.eagerDeep.latency.p99_ms / legs.derivedDeep.latency.p99_ms, 1),
    },
    targets: { upline_p99_ms: "≤ 5", downline_page_p99_ms: "≤ 50", seed_s: "≤ 180", storage_mb: "≤ 1024" },
  };
  Object.assign(result, {
    details: {
      tree: { ...measured.tree, buyer_placement_depth: legs.depth, rows: measured.rows },
      seed_steps_s: measured.seedSteps,
      storage_by_table_mb: sizes.byTable,
      storage_by_relation_mb: sizes.byRelation,
      upline_engine_uplineAt: latency(upline.engine),
      upline_rest_uplineDetailsAt: latency(upline.rest),
      upline_engine_uplineAt_chain_deepest_node: { ...latency(measured.chainUpline), levels: context.shape.chain },
      downline_page_random_recruiters: latency(downline.random),
      downline_page_20_heaviest: latency(downline.heaviest),
      downline_page_20_heaviest_jit_on: latency(downline.heaviestJitOn),
      downline_page_20_heaviest_counts_without_live_volumes: latency(downline.heaviestCountsOnly),
      leg_volume_per_order_depth_1000: { derived_personal_volume_upsert: latency(legs.derivedDeep), eager_all_ancestors: latency(legs.eagerDeep) },
      leg_volume_per_order_random_buyer: { derived_personal_volume_upsert: latency(legs.derivedTypical), eager_all_ancestors: latency(legs.eagerTypical) },
      leg_volume_derived_period_close: legs.close,
      placement_upline_10_levels: latency(legs.placement10),
      load_average_1m_at_end: round(os.loadavg()[0]!, 2),
    },
  });
  printSummary(result);
  log(`wrote ${writeResult(result)}`);
  return result;
}

function printSummary(result: BenchResult): void {
  const m = result.metrics;
  const d = (result as BenchResult & { details: Record<string, Record<string, number>> }).details;
  const line = (label: string, value: string, target = "") => console.log(`  ${label.padEnd(50)} ${value.padEnd(44)} ${target}`);
  const ms = (measured: Record<string, number>) =>
    measured.p99_ms !== undefined
      ? `p50 ${measured.p50_ms} ms, p99 ${measured.p99_ms} ms (${measured.p99_vs_baseline_p99}× base)`
      : `p50 ${measured.p50_ms} ms, max ${measured.max_ms} ms of ${measured.n} (${measured.max_vs_baseline_max}× base)`;
  const metric = (prefix: string) => m[`${prefix}_p99_ms`] ?? m[`${prefix}_max_ms`];
  console.log(`\ngenealogy: ${m.distributors!.toLocaleString("en")} distributors in the tables of ${result.params.schema}`);
  line("seed (generate, load, keys, vacuum analyze)", `${m.seed_s} s`, "target ≤ 180 s");
  line("primary-key lookup (the baseline, through Prisma)", `p50 ${result.baseline.p50_ms} ms, p99 ${result.baseline.p99_ms ?? result.baseline.max_ms} ms`);
  line("upline 10 at past T: engine's uplineAt", ms(d.upline_engine_uplineAt!), "target p99 ≤ 5 ms");
  line("upline 10 at past T: REST uplineDetailsAt", ms(d.upline_rest_uplineDetailsAt!));
  line("uplineAt of the chain's deepest node", ms(d.upline_engine_uplineAt_chain_deepest_node!));
  line("downline 1..3 page of 50 + level counts/volumes", ms(d.downline_page_random_recruiters!), "target p99 ≤ 50 ms");
  line("  … the 20 heaviest downlines", ms(d.downline_page_20_heaviest!), "target p99 ≤ 50 ms");
  line("  … the 20 heaviest, JIT on (the app runs it off)", ms(d.downline_page_20_heaviest_jit_on!));
  line("  … the 20 heaviest, counts without live volumes", ms(d.downline_page_20_heaviest_counts_without_live_volumes!));
  line(
    "leg volume per order at depth 1,000: derived",
    `p99 ${metric("leg_volume_derived_per_order")} ms (+ ${m.leg_volume_period_close_s} s per period close)`,
  );
  line(
    "leg volume per order at depth 1,000: eager",
    `p99 ${metric("leg_volume_eager_per_order")} ms (${result.ratios.leg_volume_eager_vs_derived_p99 ?? result.ratios.leg_volume_eager_vs_derived_max}× derived)`,
  );
  line("storage, genealogy tables", `${m.storage_mb} MB (+ ${m.storage_period_tables_mb} MB period tables)`, "target ≤ 1024 MB");
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
