/**
 * The benchmark tree (issue 5): a realistic random sponsor tree of N distributors plus one CHAIN-deep sponsor
 * line, generated inside PostgreSQL into the scratch table `seed_node` (one row per distributor, numbered n),
 * from which the callers load their own tables. Shared by bench/genealogy.ts (the project's tables) and
 * bench/genealogy-study.ts (its three candidate storages), so both measure the same tree.
 */
import { REFERRAL_CODE_ALPHABET } from "../../../app/domain/genealogy/referral-code";

export interface TreeShape {
  /** Distributors in the random tree (n = 1..distributors); the chain follows (n = distributors + 1..). */
  distributors: number;
  chain: number;
  /** The chain hangs under a recruiter enrolled late in the random tree, as a long recruiting line would. */
  anchor: number;
  /** Placement tree: a heap (parent n/2) whose leftmost leaf carries the chain as an extreme-left outside leg. */
  leftmostLeaf: number;
  leftmostLeafDepth: number;
  /** The buyer whose orders are measured for "leg volumes at placement depth 1,000". */
  buyerPlacementDepth: number;
  buyerN: number;
}

export function treeShape(distributors: number, chain: number): TreeShape {
  const leftmostLeafDepth = Math.floor(Math.log2(distributors));
  const buyerPlacementDepth = Math.min(1_000, leftmostLeafDepth + chain);
  return {
    distributors,
    chain,
    anchor: Math.max(1, Math.floor((distributors * 0.9) / 5) * 5),
    leftmostLeaf: 2 ** leftmostLeafDepth,
    leftmostLeafDepth,
    buyerPlacementDepth,
    buyerN: distributors + (buyerPlacementDepth - leftmostLeafDepth),
  };
}

export const RANKS = ["associate", "bronze", "silver", "gold", "platinum"];

/** The generated referral code of node n: a bijection of n onto 8 base-30 digits of the domain alphabet. */
export function referralCodeSql(n: string): string {
  const scrambled = `((${n}::bigint * 104729 + 7) % ${30n ** 8n})`;
  return Array.from({ length: 8 }, (_, digit) => `substr('${REFERRAL_CODE_ALPHABET}', ((${scrambled} / ${30n ** BigInt(7 - digit)}) % 30)::int + 1, 1)`).join(
    " || ",
  );
}

/**
 * Fills `seed_node`. Recruiters are every fifth distributor (80% of people never recruit). A quarter of the
 * recruits join an established leader (sponsor drawn towards early ids: random()²), three quarters join
 * someone who joined recently (within the last 2,000 enrolments): heavy frontlines at the top and realistic
 * depth (mean ≈ 16, max ≈ 66 for 1M). 1% are moved to another sponsor 1–60 days after joining (an admin
 * correction); 15% lapse to inactive (15% of those are terminated). Ancestors always have smaller n, even
 * after moves, which keeps every seeded tree acyclic. `statusType` is the caller's status enum type.
 */
export function seedNodesSql(shape: TreeShape, now: string, statusType: string): string {
  const N = shape.distributors;
  const start = `('${now}'::timestamptz - interval '3 years')`;
  const step = `(('${now}'::timestamptz - interval '30 days' - ${start}) / ${N})`;
  return `
SELECT setseed(0.4242);
CREATE UNLOGGED TABLE seed_node (
  n int NOT NULL, id uuid NOT NULL, joined_at timestamptz NOT NULL, sponsor_n int,
  move_at timestamptz, new_sponsor_n int, lapse_at timestamptz, lapse_status ${statusType},
  placement_parent_n int, placement_position smallint
);
INSERT INTO seed_node
SELECT n, gen_random_uuid(), joined_at, sponsor_n,
  CASE WHEN moved AND new_sponsor_n <> sponsor_n THEN least(joined_at + (1 + r_move * 59) * interval '1 day', '${now}'::timestamptz - interval '1 hour') END,
  CASE WHEN moved AND new_sponsor_n <> sponsor_n THEN new_sponsor_n END,
  CASE WHEN lapsed THEN least(joined_at + (30 + r_lapse * 335) * interval '1 day', '${now}'::timestamptz - interval '1 hour') END,
  CASE WHEN lapsed THEN (CASE WHEN r_terminated < 0.15 THEN 'terminated' ELSE 'inactive' END)::${statusType} END,
  CASE WHEN n > 1 THEN n / 2 END,
  (n % 2)::smallint
FROM (
  SELECT n, ${start} + (n - 1) * ${step} AS joined_at,
    CASE WHEN n = 1 THEN NULL
         WHEN random() < 0.25 THEN greatest(1, (floor((n - 1) * random() ^ 2)::int / 5) * 5)
         ELSE greatest(1, ((n - 1 - floor(random() * least(n - 1, 2000))::int) / 5) * 5) END AS sponsor_n,
    n > 1 AND random() < 0.01 AS moved,
    greatest(1, (floor((n - 1) * random())::int / 5) * 5) AS new_sponsor_n,
    random() AS r_move, random() < 0.15 AS lapsed, random() AS r_lapse, random() AS r_terminated
  FROM generate_series(1, ${N}) AS n
) AS drawn;
-- The chain: each enrols the next, one minute apart, under node ${shape.anchor}; in the placement tree it
-- continues the extreme-left leg below the heap's leftmost leaf ${shape.leftmostLeaf}.
INSERT INTO seed_node (n, id, joined_at, sponsor_n, placement_parent_n, placement_position)
SELECT ${N} + k, gen_random_uuid(), anchor.joined_at + k * interval '1 minute',
  CASE WHEN k = 1 THEN ${shape.anchor} ELSE ${N} + k - 1 END,
  CASE WHEN k = 1 THEN ${shape.leftmostLeaf} ELSE ${N} + k - 1 END, 0
FROM generate_series(1, ${shape.chain}) AS k, (SELECT joined_at FROM seed_node WHERE n = ${shape.anchor}) AS anchor;
ANALYZE seed_node;`;
}

/**
 * Bench scaffolding, never counted as storage: `bench_node` (each node's current sponsor depth) and
 * `bench_downline_size` (each recruiter's current downline by level), both from `seed_node` alone.
 */
export function benchHelpersSql(shape: TreeShape): string {
  return `
CREATE FUNCTION bench_depths(total int) RETURNS TABLE (n int, depth int) LANGUAGE plpgsql AS $$
DECLARE depths int[] := array_fill(0, ARRAY[total]); node record;
BEGIN
  FOR node IN SELECT s.n, coalesce(s.new_sponsor_n, s.sponsor_n) AS parent FROM seed_node s ORDER BY s.n LOOP
    IF node.parent IS NOT NULL THEN depths[node.n] := depths[node.parent] + 1; END IF;
  END LOOP;
  RETURN QUERY SELECT g, depths[g] FROM generate_series(1, total) AS g;
END $$;
CREATE UNLOGGED TABLE bench_node AS
SELECT s.n, s.id, s.joined_at, d.depth FROM seed_node s JOIN bench_depths(${shape.distributors + shape.chain}) d USING (n);
CREATE UNLOGGED TABLE bench_downline_size AS
WITH current_edge AS (SELECT n AS child, coalesce(new_sponsor_n, sponsor_n) AS parent FROM seed_node WHERE sponsor_n IS NOT NULL),
level1 AS (SELECT parent AS n, count(*) AS members FROM current_edge GROUP BY parent),
level2 AS (SELECT e.parent AS n, sum(l.members) AS members FROM current_edge e JOIN level1 l ON l.n = e.child GROUP BY e.parent),
level3 AS (SELECT e.parent AS n, sum(l.members) AS members FROM current_edge e JOIN level2 l ON l.n = e.child GROUP BY e.parent)
SELECT s.id, level1.members AS l1, coalesce(level2.members, 0) AS l2, coalesce(level3.members, 0) AS l3,
       level1.members + coalesce(level2.members, 0) + coalesce(level3.members, 0) AS total
FROM level1 LEFT JOIN level2 USING (n) LEFT JOIN level3 USING (n) JOIN seed_node s USING (n);
CREATE INDEX bench_node_id_idx ON bench_node (id);
CREATE INDEX bench_node_n_idx ON bench_node (n);
ANALYZE bench_node; ANALYZE bench_downline_size;`;
}

/** Shape of the seeded tree, for the report. */
export function treeShapeSql(shape: TreeShape): string {
  const N = shape.distributors;
  return `
SELECT max(depth) AS max_depth, max(depth) FILTER (WHERE n <= ${N}) AS max_depth_random_tree,
       round(avg(depth) FILTER (WHERE n <= ${N}), 1) AS mean_depth_random_tree,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY depth) FILTER (WHERE n <= ${N}) AS p50_depth,
       percentile_disc(0.99) WITHIN GROUP (ORDER BY depth) FILTER (WHERE n <= ${N}) AS p99_depth,
       (SELECT max(l1) FROM bench_downline_size) AS max_frontline,
       (SELECT max(total) FROM bench_downline_size) AS max_levels_1_to_3,
       (SELECT count(*) FROM bench_downline_size) AS distributors_with_recruits
FROM bench_node`;
}

export interface Sample {
  id: string;
  /** ISO 8601 in UTC with milliseconds, as the app's Dates carry it. */
  at: string;
}

const iso = (timestamptz: string) => `to_char((${timestamptz}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The samples every measurement uses, drawn with a fixed seed ($1 = now). Run `SELECT setseed(0.17)` first. */
export const SAMPLES_SQL = {
  /** Random distributors of the random tree at least 10 deep, each at a random past instant since joining. */
  upline: (shape: TreeShape, count: number) =>
    `SELECT id, ${iso("joined_at + random() * ($1::timestamptz - joined_at)")} AS at FROM bench_node
     WHERE depth >= 10 AND n <= ${shape.distributors} ORDER BY random() LIMIT ${count}`,
  /** Random distributors who have recruits, each within the last 180 days. */
  downline: (count: number) =>
    `SELECT s.id, ${iso("$1::timestamptz - random() * interval '180 days'")} AS at FROM bench_downline_size s
     ORDER BY random() LIMIT ${count}`,
  /** The 20 largest downlines (levels 1..3) in the shop, now. */
  heaviest: `SELECT id, ${iso("$1::timestamptz")} AS at FROM bench_downline_size ORDER BY total DESC LIMIT 20`,
};
