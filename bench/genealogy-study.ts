/**
 * Genealogy storage study (issue 5): which storage answers "upline of X at T", "downline levels 1..3 with
 * counts", "placement of X at T" and binary leg volumes within budget, measured against the real PostgreSQL.
 *
 *   npx tsx bench/genealogy-study.ts [--distributors 1000000] [--chain 10000] [--samples 2000]
 *                                    [--only adjacency,closure,ltree] [--out results.json] [--keep] [--explain]
 *
 * It creates its own database (genealogy_study), seeds one shop with a realistic random sponsor tree plus one
 * 10,000-deep chain, measures three storages and drops the database again (unless --keep):
 *   A. adjacency list of effective-dated edges + recursive CTE   (the source of truth in every option)
 *   B. effective-dated closure table derived from it
 *   C. effective-dated materialized path (ltree) derived from it
 * and, for binary plans, leg volumes kept eagerly per order vs derived at period close.
 * Results: a human table on stderr, the DESIGN §8 JSON on stdout (and in --out when given).
 *
 * Timings are client-side (node-postgres, prepared statements, one connection, loopback), so they include the
 * round trip a service pays. A primary-key lookup is measured in the same run as the baseline.
 */
import os from "node:os";
import pg from "pg";
import { closeLegVolumes } from "./lib/genealogy/leg-close";
import { mb, ROUNDS, sampleLatency, sumOf as sum, timed as timedStep, type Measured } from "./lib/genealogy/measure";
import { benchHelpersSql, RANKS, referralCodeSql, SAMPLES_SQL, seedNodesSql, treeShape, treeShapeSql, type Sample } from "./lib/genealogy/tree";

// ---------------------------------------------------------------------------------------------- settings

interface Settings {
  distributors: number;
  chain: number;
  samples: number;
  only: Set<string>;
  out: string | null;
  keep: boolean;
  explain: boolean;
}

function parseSettings(argv: readonly string[]): Settings {
  const value = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const positive = (name: string, fallback: number) => {
    const parsed = Number(value(name) ?? fallback);
    if (!Number.isSafeInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer`);
    return parsed;
  };
  return {
    distributors: positive("distributors", 1_000_000),
    chain: positive("chain", 10_000),
    samples: positive("samples", 2_000),
    only: new Set((value("only") ?? "adjacency,closure,ltree").split(",")),
    out: value("out") ?? null,
    keep: argv.includes("--keep"),
    explain: argv.includes("--explain"),
  };
}

const settings = parseSettings(process.argv.slice(2));
const ADMIN_URL = process.env.GENEALOGY_STUDY_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DATABASE = "genealogy_study";
const SHOP = "6f1c2a4e-0000-4000-8000-000000000001";
/** The tree both benchmarks seed (bench/lib/genealogy/tree.ts). */
const SHAPE = treeShape(settings.distributors, settings.chain);
const N = SHAPE.distributors;
const CHAIN = SHAPE.chain;
const ANCHOR = SHAPE.anchor;
/** Paths and closures are built by recursion down to this depth; the chain below it is handled apart. */
const RECURSION_DEPTH_CUT = 200;
/**
 * ltree rows deeper than this are left out of the indexed table: a GiST index over the whole table fails
 * ("failed to add item to index page") once paths approach ~200 integer labels. With uuid labels the whole-table
 * GiST build is not attempted here: tried by hand it failed, overflowed the stack, or (at this depth cut) grew
 * one backend to 23 GB until the kernel killed it and PostgreSQL restarted. See GENEALOGY-STORAGE.md.
 */
const LTREE_DEPTH_CUT = 100;

function log(message: string): void {
  process.stderr.write(`[genealogy-study] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------- measuring

interface MeasureOptions {
  warmup?: number;
  /** The distributor each parameter set is about, for the baseline lookup; defaults to the second parameter. */
  baselineIds?: readonly string[];
}

/**
 * Runs a prepared statement once per parameter set per round (after a short warm-up), each beside the
 * primary-key baseline; rounds and the reported round as in bench/lib/genealogy/measure.ts.
 */
async function measure(
  client: pg.Client,
  name: string,
  text: string,
  parameterSets: readonly unknown[][],
  options: MeasureOptions = {},
): Promise<{ latency: Measured; rowCounts: number[] }> {
  const baselineIds = options.baselineIds ?? parameterSets.map((values) => values[1] as string);
  if (settings.explain && parameterSets[0]) await explain(client, name, text, parameterSets[0]);
  return sampleLatency({
    count: parameterSets.length,
    warmup: options.warmup,
    baseline: (index) => client.query({ name: "baseline_pk", text: PK_LOOKUP, values: [SHOP, baselineIds[index]] }),
    run: async (index) => (await client.query({ name, text, values: parameterSets[index] as unknown[] })).rowCount ?? 0,
  });
}

async function explain(client: pg.Client, name: string, text: string, values: unknown[]): Promise<void> {
  await client.query("BEGIN");
  const plan = await client.query({ text: `EXPLAIN (ANALYZE, BUFFERS) ${text}`, values });
  await client.query("ROLLBACK");
  log(`plan of ${name}:\n${plan.rows.map((row: Record<string, string>) => Object.values(row)[0]).join("\n")}`);
}

function timed<T>(steps: Record<string, number>, label: string, run: () => Promise<T>): Promise<T> {
  return timedStep(steps, label, run, log);
}

async function relationBytes(client: pg.Client, tables: readonly string[]): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const table of tables) {
    const result = await client.query<{ bytes: string }>("SELECT pg_total_relation_size($1::regclass) AS bytes", [table]);
    sizes[table] = Number(result.rows[0]!.bytes);
  }
  return sizes;
}

async function scalar<T = string>(client: pg.Client, text: string, values: unknown[] = []): Promise<T> {
  const result = await client.query({ text, values, rowMode: "array" });
  return (result.rows[0] as unknown[] | undefined)?.[0] as T;
}

// ---------------------------------------------------------------------------------------------- schema

/** The recommended tables (bench/GENEALOGY-STORAGE.md), created bare; keys and indexes come after the load. */
const SCHEMA = `
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS ltree;
CREATE TYPE distributor_status AS ENUM ('active', 'inactive', 'terminated');
CREATE TYPE genealogy_tree AS ENUM ('sponsor', 'placement');

CREATE TABLE distributor (
  id         uuid               NOT NULL DEFAULT gen_random_uuid(),
  shop_id    uuid               NOT NULL,
  code       text               NOT NULL,
  status     distributor_status NOT NULL DEFAULT 'active',
  rank       text,
  email      text,
  name       text,
  joined_at  timestamptz        NOT NULL,
  created_at timestamptz        NOT NULL DEFAULT now(),
  updated_at timestamptz        NOT NULL DEFAULT now()
);
CREATE TABLE genealogy_move (
  id             uuid           NOT NULL DEFAULT gen_random_uuid(),
  shop_id        uuid           NOT NULL,
  tree           genealogy_tree NOT NULL,
  distributor_id uuid           NOT NULL,
  from_parent_id uuid,
  to_parent_id   uuid           NOT NULL,
  position       smallint,
  effective_from timestamptz    NOT NULL,
  reason         text           NOT NULL,
  actor          text           NOT NULL,
  created_at     timestamptz    NOT NULL DEFAULT now()
);
CREATE TABLE sponsor_edge (
  shop_id        uuid        NOT NULL,
  distributor_id uuid        NOT NULL,
  valid_from     timestamptz NOT NULL,
  valid_to       timestamptz,
  sponsor_id     uuid        NOT NULL,
  move_id        uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT sponsor_edge_interval CHECK (valid_to IS NULL OR valid_to > valid_from),
  CONSTRAINT sponsor_edge_not_self CHECK (sponsor_id <> distributor_id)
);
CREATE TABLE placement_edge (
  shop_id        uuid        NOT NULL,
  distributor_id uuid        NOT NULL,
  valid_from     timestamptz NOT NULL,
  valid_to       timestamptz,
  parent_id      uuid        NOT NULL,
  position       smallint    NOT NULL,
  move_id        uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT placement_edge_interval CHECK (valid_to IS NULL OR valid_to > valid_from),
  CONSTRAINT placement_edge_not_self CHECK (parent_id <> distributor_id),
  CONSTRAINT placement_edge_position CHECK (position >= 0)
);
CREATE TABLE distributor_status_history (
  shop_id        uuid               NOT NULL,
  distributor_id uuid               NOT NULL,
  valid_from     timestamptz        NOT NULL,
  valid_to       timestamptz,
  status         distributor_status NOT NULL,
  reason         text,
  created_at     timestamptz        NOT NULL DEFAULT now()
);
CREATE TABLE distributor_rank_period (
  shop_id        uuid NOT NULL,
  distributor_id uuid NOT NULL,
  period_start   date NOT NULL,
  achieved_rank  text        NOT NULL,
  paid_as_rank   text        NOT NULL,
  computed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE period_volume (
  shop_id        uuid   NOT NULL,
  distributor_id uuid   NOT NULL,
  period_start   date   NOT NULL,
  pv_hundredths  bigint NOT NULL,
  cv_hundredths  bigint NOT NULL DEFAULT 0
);
CREATE TABLE binary_leg_volume (
  shop_id          uuid   NOT NULL,
  distributor_id   uuid   NOT NULL,
  period_start     date   NOT NULL,
  left_hundredths  bigint      NOT NULL DEFAULT 0,
  right_hundredths bigint      NOT NULL DEFAULT 0,
  computed_at      timestamptz NOT NULL DEFAULT now()
);`;

const KEYS_AND_INDEXES = [
  "ALTER TABLE distributor ADD CONSTRAINT distributor_pkey PRIMARY KEY (id)",
  "ALTER TABLE distributor ADD CONSTRAINT distributor_shop_id_id_key UNIQUE (shop_id, id)",
  "CREATE UNIQUE INDEX distributor_shop_id_code_key ON distributor (shop_id, code)",
  "ALTER TABLE genealogy_move ADD CONSTRAINT genealogy_move_pkey PRIMARY KEY (id)",
  "CREATE INDEX genealogy_move_shop_id_distributor_id_idx ON genealogy_move (shop_id, distributor_id, effective_from)",
  "ALTER TABLE sponsor_edge ADD CONSTRAINT sponsor_edge_pkey PRIMARY KEY (shop_id, distributor_id, valid_from)",
  "CREATE INDEX sponsor_edge_children_idx ON sponsor_edge (shop_id, sponsor_id, valid_from)",
  "ALTER TABLE placement_edge ADD CONSTRAINT placement_edge_pkey PRIMARY KEY (shop_id, distributor_id, valid_from)",
  // Integrity for the current tree, also against concurrent writers: one current edge per node, one current
  // occupant per placement slot (two enrolments racing for a slot: the second fails and places again).
  "CREATE UNIQUE INDEX sponsor_edge_one_current_key ON sponsor_edge (shop_id, distributor_id) WHERE valid_to IS NULL",
  "CREATE UNIQUE INDEX placement_edge_one_current_key ON placement_edge (shop_id, distributor_id) WHERE valid_to IS NULL",
  "CREATE UNIQUE INDEX placement_edge_one_occupant_key ON placement_edge (shop_id, parent_id, position) WHERE valid_to IS NULL",
  "CREATE UNIQUE INDEX distributor_status_history_one_current_key ON distributor_status_history (shop_id, distributor_id) WHERE valid_to IS NULL",
  "ALTER TABLE distributor_status_history ADD CONSTRAINT distributor_status_history_pkey PRIMARY KEY (shop_id, distributor_id, valid_from)",
  "ALTER TABLE distributor_rank_period ADD CONSTRAINT distributor_rank_period_pkey PRIMARY KEY (shop_id, distributor_id, period_start)",
  "ALTER TABLE period_volume ADD CONSTRAINT period_volume_pkey PRIMARY KEY (shop_id, distributor_id, period_start)",
  "ALTER TABLE binary_leg_volume ADD CONSTRAINT binary_leg_volume_pkey PRIMARY KEY (shop_id, distributor_id, period_start)",
];

/** Composite foreign keys: an edge can only join two distributors of the same shop. */
const FOREIGN_KEYS = [
  ["sponsor_edge", "distributor", "(shop_id, distributor_id)"],
  ["sponsor_edge", "sponsor", "(shop_id, sponsor_id)"],
  ["placement_edge", "distributor", "(shop_id, distributor_id)"],
  ["placement_edge", "parent", "(shop_id, parent_id)"],
  ["distributor_status_history", "distributor", "(shop_id, distributor_id)"],
  ["distributor_rank_period", "distributor", "(shop_id, distributor_id)"],
  ["period_volume", "distributor", "(shop_id, distributor_id)"],
  ["binary_leg_volume", "distributor", "(shop_id, distributor_id)"],
  ["genealogy_move", "distributor", "(shop_id, distributor_id)"],
].map(([table, role, columns]) => `ALTER TABLE ${table} ADD CONSTRAINT ${table}_${role}_fkey FOREIGN KEY ${columns} REFERENCES distributor (shop_id, id)`);

/** Per-period commission inputs, growing by one period at a time: reported apart from the genealogy itself. */
const PERIOD_TABLES = new Set(["period_volume", "binary_leg_volume"]);

const BASE_TABLES = [
  "distributor",
  "genealogy_move",
  "sponsor_edge",
  "placement_edge",
  "distributor_status_history",
  "distributor_rank_period",
  "period_volume",
  "binary_leg_volume",
];

// ---------------------------------------------------------------------------------------------- seed

function seedTablesSql(now: string): string[] {
  const shop = `'${SHOP}'::uuid`;
  const periods = (count: number) =>
    `(SELECT k, (date_trunc('month', '${now}'::timestamptz AT TIME ZONE 'UTC') - k * interval '1 month')::date AS period_start FROM generate_series(0, ${count - 1}) AS k)`;
  return [
    `INSERT INTO distributor (id, shop_id, code, status, email, name, joined_at)
     SELECT id, ${shop}, ${referralCodeSql("n")}, coalesce(lapse_status, 'active'), 'd' || n || '@example.com', 'Distributor ' || n, joined_at
     FROM seed_node`,
    `INSERT INTO genealogy_move (shop_id, tree, distributor_id, from_parent_id, to_parent_id, effective_from, reason, actor, created_at)
     SELECT ${shop}, 'sponsor', s.id, old.id, new.id, s.move_at, 'enrolled under the wrong sponsor', 'bench', s.move_at
     FROM seed_node s JOIN seed_node old ON old.n = s.sponsor_n JOIN seed_node new ON new.n = s.new_sponsor_n
     WHERE s.move_at IS NOT NULL`,
    `INSERT INTO sponsor_edge (shop_id, distributor_id, valid_from, valid_to, sponsor_id)
     SELECT ${shop}, s.id, s.joined_at, s.move_at, sponsor.id FROM seed_node s JOIN seed_node sponsor ON sponsor.n = s.sponsor_n`,
    `INSERT INTO sponsor_edge (shop_id, distributor_id, valid_from, valid_to, sponsor_id, move_id)
     SELECT shop_id, distributor_id, effective_from, NULL, to_parent_id, id FROM genealogy_move`,
    `INSERT INTO placement_edge (shop_id, distributor_id, valid_from, parent_id, position)
     SELECT ${shop}, s.id, s.joined_at, parent.id, s.placement_position FROM seed_node s JOIN seed_node parent ON parent.n = s.placement_parent_n`,
    `INSERT INTO distributor_status_history (shop_id, distributor_id, valid_from, valid_to, status)
     SELECT ${shop}, id, lapse_at, NULL, lapse_status FROM seed_node WHERE lapse_at IS NOT NULL`,
    // Rank history by monthly period, stored when it changes: recruiters get a row for their first period and
    // then, in each later period, a 10% chance of a new paid-as rank. "Rank at T" is the latest row at or
    // before T's period; no row at all means the entry rank.
    `INSERT INTO distributor_rank_period (shop_id, distributor_id, period_start, achieved_rank, paid_as_rank)
     SELECT ${shop}, s.id, p.period_start, (ARRAY[${RANKS.map((r) => `'${r}'`).join(",")}])[1 + (s.n / 5 + p.k) % 5],
            (ARRAY[${RANKS.map((r) => `'${r}'`).join(",")}])[1 + (s.n / 5 + p.k) % 5]
     FROM seed_node s CROSS JOIN ${periods(12)} AS p
     WHERE (s.n % 5 = 0 OR s.n = 1) AND s.joined_at < p.period_start + interval '1 month'
       AND (s.joined_at >= p.period_start OR p.k = 11 OR random() < 0.1)`,
    `INSERT INTO period_volume (shop_id, distributor_id, period_start, pv_hundredths)
     SELECT ${shop}, s.id, p.period_start, 100 + floor(random() * 50000)::bigint
     FROM seed_node s CROSS JOIN ${periods(2)} AS p
     WHERE s.joined_at < p.period_start + interval '1 month' AND random() < 0.6`,
    `INSERT INTO binary_leg_volume (shop_id, distributor_id, period_start, left_hundredths, right_hundredths)
     SELECT ${shop}, s.id, p.period_start, floor(random() * 1e6)::bigint, floor(random() * 1e6)::bigint
     FROM seed_node s CROSS JOIN ${periods(1)} AS p`,
  ];
}

// ---------------------------------------------------------------------------------------------- queries

/**
 * Status in force at $3 (status rows record changes after enrolment: no row yet means active) and the paid-as
 * rank of the latest period at or before $3 (no row means the entry rank), for each row of `up`.
 */
const STATUS_AND_RANK = `
LEFT JOIN LATERAL (
  SELECT s.status FROM distributor_status_history s
  WHERE s.shop_id = $1 AND s.distributor_id = up.distributor_id AND s.valid_from <= $3
  ORDER BY s.valid_from DESC LIMIT 1
) AS st ON true
LEFT JOIN LATERAL (
  SELECT r.paid_as_rank FROM distributor_rank_period r
  WHERE r.shop_id = $1 AND r.distributor_id = up.distributor_id
    AND r.period_start <= date_trunc('month', $3::timestamptz AT TIME ZONE 'UTC')::date
  ORDER BY r.period_start DESC LIMIT 1
) AS rk ON true`;

/**
 * A: one index probe per level. The edge in force at T is the latest one starting at or before T, provided
 * it has not ended by T ($1 shop, $2 distributor, $3 T, $4 levels).
 */
const UPLINE_CTE = (table: string, idType: string) => `
WITH RECURSIVE up (level, distributor_id) AS (
  SELECT 0, $2::${idType}
  UNION ALL
  SELECT up.level + 1, edge.sponsor_id
  FROM up
  CROSS JOIN LATERAL (
    SELECT e.sponsor_id, e.valid_to FROM ${table} e
    WHERE e.shop_id = $1 AND e.distributor_id = up.distributor_id AND e.valid_from <= $3
    ORDER BY e.valid_from DESC LIMIT 1
  ) AS edge
  WHERE up.level < $4 AND (edge.valid_to IS NULL OR edge.valid_to > $3)
)`;

const UPLINE_A = `${UPLINE_CTE("sponsor_edge", "uuid")}
SELECT up.level, up.distributor_id, coalesce(st.status, 'active') AS status, rk.paid_as_rank
FROM up ${STATUS_AND_RANK}
WHERE up.level > 0 ORDER BY up.level`;

const UPLINE_A_BARE = (table: string, idType: string) => `${UPLINE_CTE(table, idType)} SELECT level, distributor_id FROM up WHERE level > 0 ORDER BY level`;

const UPLINE_B = `
SELECT up.level, up.distributor_id, coalesce(st.status, 'active') AS status, rk.paid_as_rank
FROM (
  SELECT c.depth AS level, c.ancestor_id AS distributor_id FROM sponsor_closure c
  WHERE c.shop_id = $1 AND c.descendant_id = $2 AND c.depth BETWEEN 1 AND $4
    AND c.valid_from <= $3 AND (c.valid_to IS NULL OR c.valid_to > $3)
) AS up ${STATUS_AND_RANK}
ORDER BY up.level`;

const UPLINE_C = `
WITH path_at AS (
  SELECT p.path FROM sponsor_path p
  WHERE p.shop_id = $1 AND p.distributor_id = $2 AND p.valid_from <= $3 AND (p.valid_to IS NULL OR p.valid_to > $3)
  ORDER BY p.valid_from DESC LIMIT 1
)
SELECT up.level, up.distributor_id, coalesce(st.status, 'active') AS status, rk.paid_as_rank
FROM (
  SELECT (nlevel(path_at.path) - label.ordinal)::int AS level, d.id AS distributor_id
  FROM path_at, unnest(string_to_array(ltree2text(path_at.path), '.')) WITH ORDINALITY AS label (value, ordinal)
  JOIN distributor d ON d.shop_id = $1 AND d.member_no = label.value::int
  WHERE nlevel(path_at.path) - label.ordinal BETWEEN 1 AND $4
) AS up ${STATUS_AND_RANK}
ORDER BY up.level`;

/**
 * One index probe per member: the recursive CTE's row estimate is far too high, and a plain join would make the
 * planner hash the whole period's volume table even for a downline of ten.
 */
const LEVEL_VOLUME_JOIN = `
  LEFT JOIN LATERAL (
    SELECT p.pv_hundredths FROM period_volume p
    WHERE p.shop_id = $1 AND p.distributor_id = down.distributor_id
      AND p.period_start = date_trunc('month', $3::timestamptz AT TIME ZONE 'UTC')::date
    LIMIT 1
  ) AS v ON true`;

/** The page of one downline listing: 50 rows after the keyset ($4 level, $5 id), plus counts and volumes. */
const DOWNLINE_PAGE = (downCte: string, withVolumes: boolean) => `
WITH ${downCte},
levels AS (
  SELECT down.level, count(*) AS members${withVolumes ? ", coalesce(sum(v.pv_hundredths), 0) AS pv_hundredths" : ""}
  FROM down
  ${withVolumes ? LEVEL_VOLUME_JOIN : ""}
  GROUP BY down.level
),
page AS (
  SELECT down.level, down.distributor_id FROM down
  WHERE (down.level, down.distributor_id) > ($4::int, $5::uuid)
  ORDER BY down.level, down.distributor_id LIMIT 50
)
SELECT (SELECT coalesce(json_agg(levels ORDER BY levels.level), '[]') FROM levels) AS levels,
       (SELECT coalesce(json_agg(json_build_object('level', page.level, 'id', page.distributor_id, 'code', d.code,
                                                   'status', coalesce(st.status, 'active'), 'pv', v.pv_hundredths)
                                 ORDER BY page.level, page.distributor_id), '[]')
        FROM page
        JOIN distributor d ON d.shop_id = $1 AND d.id = page.distributor_id
        LEFT JOIN LATERAL (
          SELECT s.status FROM distributor_status_history s
          WHERE s.shop_id = $1 AND s.distributor_id = page.distributor_id AND s.valid_from <= $3
          ORDER BY s.valid_from DESC LIMIT 1
        ) AS st ON true
        LEFT JOIN period_volume v ON v.shop_id = $1 AND v.distributor_id = page.distributor_id
         AND v.period_start = date_trunc('month', $3::timestamptz AT TIME ZONE 'UTC')::date) AS page`;

const DOWN_A = `RECURSIVE down (level, distributor_id) AS (
  SELECT 1, e.distributor_id FROM sponsor_edge e
  WHERE e.shop_id = $1 AND e.sponsor_id = $2 AND e.valid_from <= $3 AND (e.valid_to IS NULL OR e.valid_to > $3)
  UNION ALL
  SELECT down.level + 1, e.distributor_id FROM down
  JOIN sponsor_edge e ON e.shop_id = $1 AND e.sponsor_id = down.distributor_id
   AND e.valid_from <= $3 AND (e.valid_to IS NULL OR e.valid_to > $3)
  WHERE down.level < 3
)`;

const DOWN_B = `down AS (
  SELECT c.depth AS level, c.descendant_id AS distributor_id FROM sponsor_closure c
  WHERE c.shop_id = $1 AND c.ancestor_id = $2 AND c.depth BETWEEN 1 AND 3
    AND c.valid_from <= $3 AND (c.valid_to IS NULL OR c.valid_to > $3)
)`;

const DOWN_C = `anchor AS (
  SELECT p.path FROM sponsor_path p
  WHERE p.shop_id = $1 AND p.distributor_id = $2 AND p.valid_from <= $3 AND (p.valid_to IS NULL OR p.valid_to > $3)
  ORDER BY p.valid_from DESC LIMIT 1
),
down AS (
  SELECT nlevel(p.path) - nlevel(anchor.path) AS level, p.distributor_id FROM anchor
  JOIN sponsor_path p ON p.shop_id = $1 AND p.path <@ anchor.path
   AND nlevel(p.path) BETWEEN nlevel(anchor.path) + 1 AND nlevel(anchor.path) + 3
   AND p.valid_from <= $3 AND (p.valid_to IS NULL OR p.valid_to > $3)
)`;

/** Path between $2 and $5 at $3: both uplines to the root (self at level 0), meeting at the nearest common node. */
const PATH_BETWEEN_A = `
WITH RECURSIVE a (level, distributor_id) AS (
  SELECT 0, $2::uuid
  UNION ALL
  SELECT a.level + 1, edge.sponsor_id FROM a CROSS JOIN LATERAL (
    SELECT e.sponsor_id, e.valid_to FROM sponsor_edge e
    WHERE e.shop_id = $1 AND e.distributor_id = a.distributor_id AND e.valid_from <= $3 ORDER BY e.valid_from DESC LIMIT 1
  ) AS edge WHERE a.level < $4 AND (edge.valid_to IS NULL OR edge.valid_to > $3)
),
b (level, distributor_id) AS (
  SELECT 0, $5::uuid
  UNION ALL
  SELECT b.level + 1, edge.sponsor_id FROM b CROSS JOIN LATERAL (
    SELECT e.sponsor_id, e.valid_to FROM sponsor_edge e
    WHERE e.shop_id = $1 AND e.distributor_id = b.distributor_id AND e.valid_from <= $3 ORDER BY e.valid_from DESC LIMIT 1
  ) AS edge WHERE b.level < $4 AND (edge.valid_to IS NULL OR edge.valid_to > $3)
),
meet AS (SELECT a.level AS up, b.level AS down FROM a JOIN b USING (distributor_id) ORDER BY a.level LIMIT 1)
SELECT 'up' AS direction, a.level AS step, a.distributor_id FROM a, meet WHERE a.level <= meet.up
UNION ALL
SELECT 'down', meet.up + meet.down - b.level, b.distributor_id FROM b, meet WHERE b.level < meet.down
ORDER BY 2`;

/** Placement upline with the side each ancestor is reached from ($1 shop, $2 buyer, $3 T), up to `levels`. */
const PLACEMENT_UP = (levels: number) => `
WITH RECURSIVE up (level, parent_id, position) AS (
  SELECT 1, edge.parent_id, edge.position FROM (
    SELECT e.parent_id, e.position, e.valid_to FROM placement_edge e
    WHERE e.shop_id = $1 AND e.distributor_id = $2 AND e.valid_from <= $3 ORDER BY e.valid_from DESC LIMIT 1
  ) AS edge WHERE edge.valid_to IS NULL OR edge.valid_to > $3
  UNION ALL
  SELECT up.level + 1, edge.parent_id, edge.position FROM up CROSS JOIN LATERAL (
    SELECT e.parent_id, e.position, e.valid_to FROM placement_edge e
    WHERE e.shop_id = $1 AND e.distributor_id = up.parent_id AND e.valid_from <= $3 ORDER BY e.valid_from DESC LIMIT 1
  ) AS edge WHERE up.level < ${levels} AND (edge.valid_to IS NULL OR edge.valid_to > $3)
)`;

/** Eager binary volume: one order adds its volume to the proper leg of every placement ancestor. */
const LEG_VOLUME_EAGER = `${PLACEMENT_UP(1_000_000)}
INSERT INTO binary_leg_volume AS leg (shop_id, distributor_id, period_start, left_hundredths, right_hundredths)
SELECT $1, up.parent_id, $4::date,
       CASE WHEN up.position = 0 THEN $5::bigint ELSE 0 END, CASE WHEN up.position = 1 THEN $5::bigint ELSE 0 END
FROM up
ON CONFLICT (shop_id, distributor_id, period_start) DO UPDATE
SET left_hundredths = leg.left_hundredths + excluded.left_hundredths,
    right_hundredths = leg.right_hundredths + excluded.right_hundredths`;

/** Derived binary volume: an order only adds to its buyer's personal volume of the period. */
const PERSONAL_VOLUME_UPSERT = `
INSERT INTO period_volume AS v (shop_id, distributor_id, period_start, pv_hundredths) VALUES ($1, $2, $3::date, $4::bigint)
ON CONFLICT (shop_id, distributor_id, period_start) DO UPDATE SET pv_hundredths = v.pv_hundredths + excluded.pv_hundredths`;

/**
 * On-demand leg volume of the current tree ($4 unused but kept for the shape): the whole subtree under one
 * slot of $2, with its personal volumes. Past periods read BinaryLegVolume rows written at period close.
 */
const LEG_VOLUME_ON_DEMAND = `
WITH RECURSIVE sub (distributor_id) AS (
  SELECT e.distributor_id FROM placement_edge e
  WHERE e.shop_id = $1 AND e.parent_id = $2 AND e.position = $3 AND e.valid_to IS NULL AND e.valid_from <= $4
  UNION ALL
  SELECT e.distributor_id FROM sub
  JOIN placement_edge e ON e.shop_id = $1 AND e.parent_id = sub.distributor_id AND e.valid_to IS NULL
)
SELECT count(*) AS members, coalesce(sum(v.pv_hundredths), 0) AS volume FROM sub
LEFT JOIN period_volume v ON v.shop_id = $1 AND v.distributor_id = sub.distributor_id AND v.period_start = $5::date`;

const PK_LOOKUP = "SELECT id, code, joined_at FROM distributor WHERE shop_id = $1 AND id = $2";

// ---------------------------------------------------------------------------------------------- main

async function samples(client: pg.Client, text: string, values: unknown[] = []): Promise<Sample[]> {
  const result = await client.query<Sample>(text, values);
  return result.rows;
}

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DATABASE}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const report: Record<string, unknown> = {};
  try {
    await run(client, report);
  } finally {
    await client.end();
    if (!settings.keep) await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await admin.end();
  }
  const json = JSON.stringify(report, null, 2);
  process.stdout.write(`${json}\n`);
  if (settings.out) {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(settings.out, `${json}\n`);
  }
}

async function run(client: pg.Client, report: Record<string, unknown>): Promise<void> {
  const now = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
  const pgVersion = await scalar<string>(client, "SHOW server_version");
  // Session settings a bulk-load job would use; nothing server-wide is changed.
  await client.query("SET maintenance_work_mem = '512MB'");
  await client.query("SET work_mem = '64MB'");

  // ------------------------------------------------------------------ A. seed (the adjacency list is the truth)
  const seedSteps: Record<string, number> = {};
  await timed(seedSteps, "schema", () => client.query(SCHEMA));
  await timed(seedSteps, "generate tree", () => client.query(seedNodesSql(SHAPE, now, "distributor_status")));
  for (const [index, statement] of seedTablesSql(now).entries()) {
    const table = /INSERT INTO (\w+)/.exec(statement)?.[1] ?? `step${index}`;
    await timed(seedSteps, `load ${table}${index === 3 ? " (moves)" : ""}`, () => client.query(statement));
  }
  await timed(seedSteps, "keys and indexes", async () => {
    for (const statement of KEYS_AND_INDEXES) await client.query(statement);
  });
  await timed(seedSteps, "foreign keys", async () => {
    for (const statement of FOREIGN_KEYS) await client.query(statement);
  });
  await timed(seedSteps, "vacuum analyze", async () => {
    for (const table of BASE_TABLES) await client.query(`VACUUM ANALYZE ${table}`);
  });
  const seedSeconds = Math.round(sum(seedSteps) * 10) / 10;
  log(`seed total: ${seedSeconds} s`);

  await timed(seedSteps, "(bench helpers, not counted)", () => client.query(benchHelpersSql(SHAPE)));
  // JIT compiles plans whose (badly over-estimated) recursive-CTE cost crosses jit_above_cost: 50-300 ms spent
  // compiling a 5 ms query. The recommended setting for the app's connections; measured with JIT on below.
  await client.query("SET jit = off");
  const seedCountedSeconds = seedSeconds;
  const rowCounts: Record<string, number> = {};
  for (const table of BASE_TABLES) rowCounts[table] = Number(await scalar(client, `SELECT count(*) FROM ${table}`));
  const shape = (await client.query(treeShapeSql(SHAPE))).rows[0] as Record<string, string>;
  log(`tree: ${JSON.stringify(shape)}`);
  const baseSizes = await relationBytes(client, BASE_TABLES);
  const genealogyBytes = sum(Object.fromEntries(Object.entries(baseSizes).filter(([table]) => !PERIOD_TABLES.has(table))));
  const deepest = await scalar<string>(client, `SELECT id FROM bench_node WHERE n = ${N + CHAIN}`);
  const deepestDepth = Number(await scalar(client, `SELECT depth FROM bench_node WHERE n = ${N + CHAIN}`));

  // ------------------------------------------------------------------ samples shared by every option
  await client.query("SELECT setseed(0.17)");
  const uplineSamples = await samples(client, SAMPLES_SQL.upline(SHAPE, settings.samples), [now]);
  const downlineSamples = await samples(client, SAMPLES_SQL.downline(Math.min(1_000, settings.samples)), [now]);
  const heavySamples = await samples(client, SAMPLES_SQL.heaviest, [now]);
  const pairSamples = (
    await client.query<{ a: string; b: string; at: string }>(
      `SELECT a.id AS a, b.id AS b, ($1::timestamptz - random() * interval '180 days')::text AS at
       FROM (SELECT id, row_number() OVER () AS r FROM (SELECT id FROM bench_node WHERE n <= ${N} ORDER BY random() LIMIT 500) x) a
       JOIN (SELECT id, row_number() OVER () AS r FROM (SELECT id FROM bench_node WHERE n <= ${N} ORDER BY random() LIMIT 500) y) b USING (r)`,
      [now],
    )
  ).rows;
  const chainAt = new Date(Date.parse(now) - 86_400_000).toISOString();
  const NIL = "00000000-0000-0000-0000-000000000000";
  const uplineParams = (levels: number) => uplineSamples.map((s) => [SHOP, s.id, s.at, levels]);
  const downlineParams = (list: Sample[]) => list.map((s) => [SHOP, s.id, s.at, 0, NIL]);

  const options: Record<string, Record<string, unknown>> = {};

  // ------------------------------------------------------------------ A. adjacency list + recursive CTE
  if (settings.only.has("adjacency")) {
    const upline10 = await measure(client, "upline_a", UPLINE_A, uplineParams(10));
    const uplineBare = await measure(client, "upline_a_bare", UPLINE_A_BARE("sponsor_edge", "uuid"), uplineParams(10));
    const toRoot = await measure(client, "upline_a_root", UPLINE_A, uplineParams(1_000_000).slice(0, 500));
    const chainFull = await measure(
      client,
      "upline_a_chain",
      UPLINE_A,
      Array.from({ length: 20 }, () => [SHOP, deepest, chainAt, 1_000_000]),
      { warmup: 3 },
    );
    const downline = await measure(client, "down_a", DOWNLINE_PAGE(DOWN_A, false), downlineParams(downlineSamples));
    const downlineVolumes = await measure(client, "down_a_v", DOWNLINE_PAGE(DOWN_A, true), downlineParams(downlineSamples));
    const downlineHeavy = await measure(client, "down_a", DOWNLINE_PAGE(DOWN_A, false), downlineParams(heavySamples), { warmup: 2 });
    const downlineHeavyVolumes = await measure(client, "down_a_v", DOWNLINE_PAGE(DOWN_A, true), downlineParams(heavySamples), { warmup: 2 });
    await client.query("SET jit = on");
    const downlineHeavyJit = await measure(client, "down_a_jit", DOWNLINE_PAGE(DOWN_A, false), downlineParams(heavySamples), { warmup: 2 });
    const downlineHeavyVolumesJit = await measure(client, "down_a_v_jit", DOWNLINE_PAGE(DOWN_A, true), downlineParams(heavySamples), { warmup: 2 });
    const upline10Jit = await measure(client, "upline_a_jit", UPLINE_A, uplineParams(10));
    await client.query("SET jit = off");
    const path = await measure(
      client,
      "path_a",
      PATH_BETWEEN_A,
      pairSamples.map((p) => [SHOP, p.a, p.at, 1_000_000, p.b]),
    );
    const exclusion: Record<string, number> = {};
    await timed(exclusion, "exclusion constraint build s", () =>
      client.query(`ALTER TABLE sponsor_edge ADD CONSTRAINT sponsor_edge_no_overlap
        EXCLUDE USING gist (shop_id WITH =, distributor_id WITH =, tstzrange(valid_from, valid_to, '[)') WITH &&)`),
    );
    const exclusionBytes = Number(await scalar(client, "SELECT pg_relation_size('sponsor_edge_no_overlap')"));
    options.adjacency = {
      seed_s: seedCountedSeconds,
      storage_mb: mb(genealogyBytes),
      storage_period_volume_tables_mb: mb(sum(baseSizes) - genealogyBytes),
      storage_all_tables_mb: mb(sum(baseSizes)),
      storage_by_table_mb: Object.fromEntries(Object.entries(baseSizes).map(([t, b]) => [t, mb(b)])),
      upline10_at_past_t: upline10.latency,
      upline10_rows_mean: upline10.rowCounts.reduce((a, b) => a + b, 0) / upline10.rowCounts.length,
      upline10_without_status_rank: uplineBare.latency,
      upline_to_root: toRoot.latency,
      upline_to_root_rows_mean: toRoot.rowCounts.reduce((a, b) => a + b, 0) / toRoot.rowCounts.length,
      chain_deepest_full_upline: { ...chainFull.latency, levels: chainFull.rowCounts[0] },
      downline_page_random_recruiter: downline.latency,
      downline_page_with_level_volumes_random_recruiter: downlineVolumes.latency,
      downline_page_top20_heaviest: downlineHeavy.latency,
      downline_page_with_level_volumes_top20_heaviest: downlineHeavyVolumes.latency,
      with_jit_on: {
        upline10_at_past_t: upline10Jit.latency,
        downline_page_top20_heaviest: downlineHeavyJit.latency,
        downline_page_with_level_volumes_top20_heaviest: downlineHeavyVolumesJit.latency,
      },
      path_between_random_pairs: path.latency,
      exclusion_constraint: { build_s: exclusion["exclusion constraint build s"], index_mb: mb(exclusionBytes) },
    };
    await measureKeyVariants(client, options.adjacency, uplineSamples);
  }

  // ------------------------------------------------------------------ path versions (input of B and C)
  const derivedSteps: Record<string, number> = {};
  if (settings.only.has("closure") || settings.only.has("ltree")) {
    await timed(derivedSteps, "path versions", () =>
      client.query(`
        -- The planner under-estimates the roots and would merge-join the whole edge table on every one of
        -- the ~200 iterations; one index probe per row is what this walk needs.
        SET work_mem = '256MB'; SET enable_hashjoin = off; SET enable_mergejoin = off;
        CREATE UNLOGGED TABLE bench_path_version AS
        WITH RECURSIVE version (distributor_id, valid_from, valid_to, ancestors, labels) AS (
          SELECT d.id, d.joined_at, 'infinity'::timestamptz, ARRAY[]::uuid[], ARRAY[b.n]
          FROM distributor d JOIN bench_node b ON b.id = d.id
          WHERE d.shop_id = '${SHOP}' AND NOT EXISTS (
            SELECT 1 FROM sponsor_edge e WHERE e.shop_id = d.shop_id AND e.distributor_id = d.id)
          UNION ALL
          SELECT e.distributor_id, greatest(e.valid_from, v.valid_from), least(coalesce(e.valid_to, 'infinity'), v.valid_to),
                 v.ancestors || v.distributor_id, v.labels || b.n
          FROM version v
          JOIN sponsor_edge e ON e.shop_id = '${SHOP}' AND e.sponsor_id = v.distributor_id
          JOIN bench_node b ON b.id = e.distributor_id
          WHERE e.valid_from < v.valid_to AND coalesce(e.valid_to, 'infinity') > v.valid_from
            AND cardinality(v.ancestors) < ${RECURSION_DEPTH_CUT}
        )
        SELECT * FROM version;
        SET work_mem = '64MB'; RESET enable_hashjoin; RESET enable_mergejoin;`),
    );
  }
  const pathVersionSeconds = derivedSteps["path versions"] ?? 0;
  const pathVersions = settings.only.has("closure") || settings.only.has("ltree") ? Number(await scalar(client, "SELECT count(*) FROM bench_path_version")) : 0;

  // ------------------------------------------------------------------ B. closure table
  if (settings.only.has("closure")) {
    const steps: Record<string, number> = { "path versions": pathVersionSeconds };
    await timed(steps, "closure rows", () =>
      client.query(`
        CREATE TABLE sponsor_closure (
          shop_id uuid NOT NULL, ancestor_id uuid NOT NULL, descendant_id uuid NOT NULL, depth int NOT NULL,
          valid_from timestamptz NOT NULL, valid_to timestamptz);
        INSERT INTO sponsor_closure
        SELECT '${SHOP}', a.ancestor_id, v.distributor_id, cardinality(v.ancestors) - a.ordinal::int + 1,
               v.valid_from, nullif(v.valid_to, 'infinity')
        FROM bench_path_version v, unnest(v.ancestors) WITH ORDINALITY AS a (ancestor_id, ordinal);`),
    );
    await timed(steps, "closure indexes", () =>
      client.query(`
        ALTER TABLE sponsor_closure ADD PRIMARY KEY (shop_id, descendant_id, depth, valid_from);
        CREATE INDEX sponsor_closure_ancestor_idx ON sponsor_closure (shop_id, ancestor_id, depth, descendant_id);`),
    );
    await timed(steps, "closure vacuum analyze", () => client.query("VACUUM ANALYZE sponsor_closure"));
    const closureRows = Number(await scalar(client, "SELECT count(*) FROM sponsor_closure"));
    const closureBytes = (await relationBytes(client, ["sponsor_closure"])).sponsor_closure!;
    const chainRowsMissing = await chainClosureRowsMissing(client);
    // Only the deepest chain node's own ancestors are added, so its full upline can be timed.
    await client.query(`
      INSERT INTO sponsor_closure (shop_id, ancestor_id, descendant_id, depth, valid_from)
      SELECT '${SHOP}', b.id, '${deepest}', ${deepestDepth} - b.depth, (SELECT joined_at FROM bench_node WHERE n = ${N + CHAIN})
      FROM bench_node b
      WHERE b.n IN (SELECT n FROM bench_node WHERE n > ${N} AND n < ${N + CHAIN})
         OR b.id IN (SELECT unnest(ancestors || distributor_id) FROM bench_path_version
                     WHERE distributor_id = (SELECT id FROM bench_node WHERE n = ${ANCHOR}) AND valid_to = 'infinity')
      ON CONFLICT DO NOTHING`);
    await client.query("ANALYZE sponsor_closure");
    const upline10 = await measure(client, "upline_b", UPLINE_B, uplineParams(10));
    const chainFull = await measure(
      client,
      "upline_b_chain",
      UPLINE_B,
      Array.from({ length: 20 }, () => [SHOP, deepest, chainAt, 1_000_000]),
      { warmup: 3 },
    );
    const downline = await measure(client, "down_b", DOWNLINE_PAGE(DOWN_B, false), downlineParams(downlineSamples));
    const downlineVolumes = await measure(client, "down_b_v", DOWNLINE_PAGE(DOWN_B, true), downlineParams(downlineSamples));
    const downlineHeavy = await measure(client, "down_b", DOWNLINE_PAGE(DOWN_B, false), downlineParams(heavySamples), { warmup: 2 });
    const bytesPerRow = closureBytes / closureRows;
    options.closure = {
      build_s_on_top_of_seed: Math.round(sum(steps) * 10) / 10,
      build_steps_s: steps,
      rows: closureRows,
      path_versions: pathVersions,
      structure_mb: mb(closureBytes),
      storage_mb_with_base_tables: mb(closureBytes + genealogyBytes),
      bytes_per_row: Math.round(bytesPerRow),
      chain_rows_not_built: chainRowsMissing,
      chain_extra_mb_estimated: mb(chainRowsMissing * bytesPerRow),
      upline10_at_past_t: upline10.latency,
      chain_deepest_full_upline: { ...chainFull.latency, levels: chainFull.rowCounts[0] },
      downline_page_random_recruiter: downline.latency,
      downline_page_with_level_volumes_random_recruiter: downlineVolumes.latency,
      downline_page_top20_heaviest: downlineHeavy.latency,
    };
    await client.query("DROP TABLE sponsor_closure");
  }

  // ------------------------------------------------------------------ C. materialized path (ltree)
  if (settings.only.has("ltree")) {
    const steps: Record<string, number> = { "path versions": pathVersionSeconds };
    // Integer labels need a compact per-shop member number on distributor (the best case for ltree).
    await timed(steps, "member numbers", async () => {
      await client.query("ALTER TABLE distributor ADD COLUMN member_no int");
      await client.query("UPDATE distributor d SET member_no = b.n FROM bench_node b WHERE b.id = d.id");
      await client.query("CREATE UNIQUE INDEX distributor_shop_id_member_no_key ON distributor (shop_id, member_no)");
      await client.query("VACUUM ANALYZE distributor");
    });
    await timed(steps, "ltree rows", () =>
      client.query(`
        CREATE TABLE sponsor_path (
          shop_id uuid NOT NULL, distributor_id uuid NOT NULL, valid_from timestamptz NOT NULL, valid_to timestamptz,
          path ltree NOT NULL);
        INSERT INTO sponsor_path
        SELECT '${SHOP}', distributor_id, valid_from, nullif(valid_to, 'infinity'), text2ltree(array_to_string(labels, '.'))
        FROM bench_path_version WHERE cardinality(ancestors) < ${LTREE_DEPTH_CUT};`),
    );
    await timed(steps, "ltree indexes", async () => {
      await client.query("ALTER TABLE sponsor_path ADD PRIMARY KEY (shop_id, distributor_id, valid_from)");
      // (shop_id, path) through btree_gist overflows the stack at this size; the path alone builds.
      await client.query("CREATE INDEX sponsor_path_gist ON sponsor_path USING gist (path)");
    });
    await timed(steps, "ltree vacuum analyze", () => client.query("VACUUM ANALYZE sponsor_path"));
    const pathBytes = (await relationBytes(client, ["sponsor_path"])).sponsor_path!;
    const memberNoBytes = Number(await scalar(client, "SELECT pg_relation_size('distributor_shop_id_member_no_key')"));
    const ltreeRows = Number(await scalar(client, "SELECT count(*) FROM sponsor_path"));
    const deepestIndexable = await deepestIndexablePath(client);
    const upline10 = await measure(client, "upline_c", UPLINE_C, uplineParams(10));
    const downline = await measure(client, "down_c", DOWNLINE_PAGE(DOWN_C, false), downlineParams(downlineSamples));
    const downlineHeavy = await measure(client, "down_c", DOWNLINE_PAGE(DOWN_C, false), downlineParams(heavySamples), { warmup: 2 });
    options.ltree = {
      build_s_on_top_of_seed: Math.round(sum(steps) * 10) / 10,
      build_steps_s: steps,
      rows: ltreeRows,
      rows_left_out_deeper_than_cut: pathVersions - ltreeRows,
      depth_cut: LTREE_DEPTH_CUT,
      structure_mb: mb(pathBytes),
      member_no_index_mb: mb(memberNoBytes),
      storage_mb_with_base_tables: mb(pathBytes + memberNoBytes + genealogyBytes),
      deepest_single_path_a_gist_index_accepts: deepestIndexable,
      chain_deepest_full_upline: `not storable with a GiST index: a single path is refused beyond ${deepestIndexable.integer_labels?.accepted_levels} integer labels (${deepestIndexable.uuid_labels?.accepted_levels} uuid labels); the chain's deepest path has ${deepestDepth + 1}`,
      upline10_at_past_t: upline10.latency,
      downline_page_random_recruiter: downline.latency,
      downline_page_top20_heaviest: downlineHeavy.latency,
    };
    await client.query("DROP TABLE sponsor_path");
    await client.query("ALTER TABLE distributor DROP COLUMN member_no");
  }

  // ------------------------------------------------------------------ binary leg volumes
  const legs = await measureLegVolumes(client, now);

  const adjacency = options.adjacency as { upline10_at_past_t: Measured; downline_page_random_recruiter: Measured; storage_mb: number } | undefined;
  report.name = "genealogy";
  report.when = new Date().toISOString();
  report.machine = { cpus: os.cpus().length, node: process.version, postgres: pgVersion };
  report.params = { distributors: N, chain: CHAIN, samples: settings.samples, rounds: ROUNDS, shop: SHOP, now, jit: "off unless stated" };
  if (adjacency) {
    const upline = adjacency.upline10_at_past_t;
    const downline = adjacency.downline_page_random_recruiter;
    report.metrics = {
      distributors: N + CHAIN,
      seed_s: seedCountedSeconds,
      upline_p50_ms: upline.p50_ms,
      upline_p99_ms: upline.p99_ms,
      downline_page_p99_ms: downline.p99_ms,
      storage_mb: adjacency.storage_mb,
    };
    report.baseline = {
      name: "primary-key lookup of the same distributor, run just before each upline query",
      p50_ms: upline.baseline_p50_ms,
      p99_ms: upline.baseline_p99_ms,
    };
    report.ratios = {
      upline_p99_vs_baseline_p99: upline.p99_vs_baseline_p99,
      downline_page_p99_vs_baseline_p99: downline.p99_vs_baseline_p99,
    };
  }
  report.tree = { ...shape, chain_deepest_depth: deepestDepth, rows: rowCounts };
  report.seed_steps_s = seedSteps;
  report.options = options;
  report.leg_volumes = legs;
}

/** Closure rows the 10,000-deep chain would add (every chain node × every ancestor), computed exactly. */
async function chainClosureRowsMissing(client: pg.Client): Promise<number> {
  const built = Number(await scalar(client, `SELECT count(*) FROM sponsor_closure c JOIN bench_node b ON b.id = c.descendant_id WHERE b.n > ${N}`));
  const needed = Number(await scalar(client, `SELECT sum(depth) FROM bench_node WHERE n > ${N}`));
  return needed - built;
}

/**
 * Doubles, then bisects, the depth of a chain path until a GiST index refuses it: with the uuid labels the
 * table uses, and with 7-digit integer labels (what a compact per-shop member number would give).
 */
async function deepestIndexablePath(
  client: pg.Client,
): Promise<Record<string, { accepted_levels: number; refused_levels: number | null; error: string | null }>> {
  const labels = { uuid: "replace(id::text, '-', '')", integer: "n::text" };
  const results: Record<string, { accepted_levels: number; refused_levels: number | null; error: string | null }> = {};
  for (const [kind, label] of Object.entries(labels)) {
    await client.query(`CREATE TABLE bench_path_probe (path ltree NOT NULL); CREATE INDEX ON bench_path_probe USING gist (path);`);
    let accepted = 0;
    let refused: number | null = null;
    let error: string | null = null;
    const fits = async (levels: number) => {
      try {
        await client.query(
          `INSERT INTO bench_path_probe
           SELECT text2ltree(string_agg(${label}, '.' ORDER BY n)) FROM bench_node WHERE n > ${N} AND n <= ${N} + $1`,
          [levels],
        );
        return true;
      } catch (caught) {
        error = (caught as Error).message;
        return false;
      }
    };
    for (let levels = 16; levels <= CHAIN; levels *= 2) {
      if (await fits(levels)) accepted = levels;
      else {
        refused = levels;
        break;
      }
    }
    if (refused === null) {
      if (await fits(CHAIN)) accepted = CHAIN;
      else refused = CHAIN;
    }
    while (refused !== null && refused - accepted > 1) {
      const middle = Math.floor((accepted + refused) / 2);
      if (await fits(middle)) accepted = middle;
      else refused = middle;
    }
    await client.query("DROP TABLE bench_path_probe");
    results[`${kind}_labels`] = { accepted_levels: accepted, refused_levels: refused, error };
  }
  return results;
}

/**
 * Key variants of the sponsor edge table, same tree and samples: bigint ids instead of uuids, and the layout
 * with a surrogate uuid primary key plus a non-unique (shop, distributor, validFrom) index.
 */
async function measureKeyVariants(client: pg.Client, into: Record<string, unknown>, uplineSamples: Sample[]): Promise<void> {
  // Same columns and indexes as sponsor_edge, only the key types differ.
  await client.query(`
    CREATE TABLE sponsor_edge_bigint AS
    SELECT e.shop_id, d.n::bigint AS distributor_id, e.valid_from, e.valid_to, s.n::bigint AS sponsor_id,
           NULL::bigint AS move_id, e.created_at
    FROM sponsor_edge e JOIN bench_node d ON d.id = e.distributor_id JOIN bench_node s ON s.id = e.sponsor_id;
    ALTER TABLE sponsor_edge_bigint ADD PRIMARY KEY (shop_id, distributor_id, valid_from);
    CREATE INDEX ON sponsor_edge_bigint (shop_id, sponsor_id, valid_from);
    CREATE UNIQUE INDEX ON sponsor_edge_bigint (shop_id, distributor_id) WHERE valid_to IS NULL;
    CREATE TABLE sponsor_edge_surrogate AS SELECT gen_random_uuid() AS id, e.* FROM sponsor_edge e;
    ALTER TABLE sponsor_edge_surrogate ADD PRIMARY KEY (id);
    CREATE INDEX ON sponsor_edge_surrogate (shop_id, distributor_id, valid_from);
    CREATE INDEX ON sponsor_edge_surrogate (shop_id, sponsor_id, valid_from);
    CREATE UNIQUE INDEX ON sponsor_edge_surrogate (shop_id, distributor_id) WHERE valid_to IS NULL;`);
  await client.query("VACUUM ANALYZE sponsor_edge_bigint");
  await client.query("VACUUM ANALYZE sponsor_edge_surrogate");
  const numbers = new Map((await client.query<{ id: string; n: number }>("SELECT id, n FROM bench_node")).rows.map((row) => [row.id, row.n]));
  const bigintRun = await measure(
    client,
    "upline_bigint",
    UPLINE_A_BARE("sponsor_edge_bigint", "bigint"),
    uplineSamples.map((s) => [SHOP, numbers.get(s.id), s.at, 10]),
    { baselineIds: uplineSamples.map((s) => s.id) },
  );
  const surrogateRun = await measure(
    client,
    "upline_surrogate",
    UPLINE_A_BARE("sponsor_edge_surrogate", "uuid"),
    uplineSamples.map((s) => [SHOP, s.id, s.at, 10]),
  );
  const sizes = await relationBytes(client, ["sponsor_edge", "sponsor_edge_bigint", "sponsor_edge_surrogate"]);
  const exclusionBytes = Number(await scalar(client, "SELECT pg_relation_size('sponsor_edge_no_overlap')"));
  into.key_variants = {
    sponsor_edge_composite_key_uuid_mb: mb(sizes.sponsor_edge! - exclusionBytes),
    sponsor_edge_composite_key_bigint_mb: mb(sizes.sponsor_edge_bigint!),
    sponsor_edge_surrogate_uuid_key_mb: mb(sizes.sponsor_edge_surrogate!),
    upline10_bigint_without_status_rank: bigintRun.latency,
    upline10_surrogate_key_without_status_rank: surrogateRun.latency,
  };
  await client.query("DROP TABLE sponsor_edge_bigint");
  await client.query("DROP TABLE sponsor_edge_surrogate");
}

async function measureLegVolumes(client: pg.Client, now: string): Promise<Record<string, unknown>> {
  const period = await scalar<string>(client, `SELECT date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC')::date::text`, [now]);
  const buyerN = SHAPE.buyerN;
  const buyer = await scalar<string>(client, `SELECT id FROM bench_node WHERE n = ${buyerN}`);
  const orders = 200;
  const depth = Number(await scalar(client, `${PLACEMENT_UP(1_000_000)} SELECT count(*) FROM up`, [SHOP, buyer, now]));
  const eagerDeep = await measure(
    client,
    "leg_eager",
    LEG_VOLUME_EAGER,
    Array.from({ length: orders }, (_, i) => [SHOP, buyer, now, period, 1_000 + i]),
    { warmup: 10 },
  );
  await client.query("SELECT setseed(0.5)");
  const typical = (await client.query<{ id: string }>(`SELECT id FROM bench_node WHERE n <= ${N} ORDER BY random() LIMIT ${orders}`)).rows.map((row) => row.id);
  const eagerTypical = await measure(
    client,
    "leg_eager",
    LEG_VOLUME_EAGER,
    typical.map((id, i) => [SHOP, id, now, period, 1_000 + i]),
    { warmup: 10 },
  );
  const derivedPerOrder = await measure(
    client,
    "pv_upsert",
    PERSONAL_VOLUME_UPSERT,
    typical.map((id, i) => [SHOP, id, period, 1_000 + i]),
    { warmup: 10 },
  );
  const close = await periodCloseInNode(client, now, period);
  const chainParent = await scalar<string>(client, `SELECT id FROM bench_node WHERE n = ${buyerN - 1}`);
  const root = await scalar<string>(client, "SELECT id FROM bench_node WHERE n = 1");
  const onDemandChain = await measure(
    client,
    "leg_on_demand",
    LEG_VOLUME_ON_DEMAND,
    Array.from({ length: 5 }, () => [SHOP, chainParent, 0, now, period]),
    { warmup: 1 },
  );
  const onDemandRoot = await measure(
    client,
    "leg_on_demand",
    LEG_VOLUME_ON_DEMAND,
    Array.from({ length: 2 }, () => [SHOP, root, 0, now, period]),
    { warmup: 1 },
  );
  const placementUpline = await measure(
    client,
    "placement_up_10",
    `${PLACEMENT_UP(10)} SELECT level, parent_id, position FROM up`,
    typical.map((id) => [SHOP, id, now]),
  );
  return {
    buyer_placement_depth: depth,
    eager_update_per_order_depth_1000: eagerDeep.latency,
    eager_update_per_order_random_buyer: eagerTypical.latency,
    derived_personal_volume_upsert_per_order: derivedPerOrder.latency,
    derived_period_close_all_leg_volumes: close,
    on_demand_leg_sum_of_a_depth_999_node: onDemandChain.latency,
    on_demand_leg_sum_of_the_root: onDemandRoot.latency,
    placement_upline_10_levels: placementUpline.latency,
  };
}

/** Period close for binary (bench/lib/genealogy/leg-close.ts) over the study's tables. */
async function periodCloseInNode(client: pg.Client, now: string, period: string): Promise<Record<string, number>> {
  await client.query(`CREATE TABLE bench_leg_volume_close (LIKE binary_leg_volume INCLUDING DEFAULTS)`);
  const close = await closeLegVolumes(
    {
      readEdges: async () =>
        (
          await client.query({
            text: `SELECT distributor_id, parent_id, position FROM placement_edge
                   WHERE shop_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)`,
            values: [SHOP, now],
            rowMode: "array",
          })
        ).rows as [string, string, number][],
      readVolumes: async () =>
        (
          await client.query({
            text: "SELECT distributor_id, pv_hundredths FROM period_volume WHERE shop_id = $1 AND period_start = $2",
            values: [SHOP, period],
            rowMode: "array",
          })
        ).rows as [string, string][],
      write: async (ids, left, right) => {
        await client.query(
          `INSERT INTO bench_leg_volume_close (shop_id, distributor_id, period_start, left_hundredths, right_hundredths)
           SELECT $1, unnest($2::uuid[]), $3::date, unnest($4::bigint[]), unnest($5::bigint[])`,
          [SHOP, ids, period, left, right],
        );
      },
    },
    log,
  );
  await client.query("DROP TABLE bench_leg_volume_close");
  return close;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
