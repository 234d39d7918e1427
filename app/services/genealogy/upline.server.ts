/**
 * "The upline of X as of T", in one recursive query over the edges in force at T
 * (validFrom <= T < coalesce(validTo, infinity)), each node with its status at T and its absolute depth:
 * uplineAt over the sponsor tree (unilevel, fast-start, matching), placementUplineAt over the placement tree
 * (binary legs, forced matrix). Both trees are walked by the same query.
 *
 * Depth is absolute (the root is 0) because the engine checks that it strictly decreases up the chain, so the
 * walk always goes to the root; only the rows the caller needs are returned. Status at T: the latest status period
 * at or before T (none: active since enrolment). The in-memory reference for the same question is
 * app/domain/genealogy/upline.ts.
 */
import { Prisma } from "~/generated/prisma/client";
import type { PlacementUplineNode, UplineNode } from "~/domain/engine";
import { CorruptTreeError } from "~/domain/genealogy/errors";
import type { RawSqlClient } from "~/db/raw-sql.server";

/** A chain longer than this is a corrupt tree (or a runaway), not a sponsor line. */
export const MAX_UPLINE_WALK = 100_000;

const TREES = {
  sponsor: { table: Prisma.raw(`"SponsorEdge"`), parent: Prisma.raw(`"sponsorId"`), parentName: "sponsor", treeName: "sponsor" },
  placement: { table: Prisma.raw(`"PlacementEdge"`), parent: Prisma.raw(`"parentId"`), parentName: "placement parent", treeName: "placement" },
} as const;

interface ChainRow {
  distributorId: string;
  status: UplineNode["status"];
  idx: number;
  total: number;
  cycle: boolean;
  lastParent: string | null;
  rank: string | null;
  company: boolean;
}

/**
 * The chain from `distributorId` itself (index 0) upward as of `at`: every node up to and including the
 * `maxDepth`-th active one (dynamic compression skips inactive uplines, so filling maxDepth levels can need
 * more than maxDepth nodes), or up to the root. Empty when the distributor was not in the tree at `at`.
 * Throws CorruptTreeError when the edges in force at `at` loop or point at a parent who was not in the tree.
 */
async function chainAt(client: RawSqlClient, tree: keyof typeof TREES, shopId: string, distributorId: string, at: Date, maxDepth: number): Promise<ChainRow[]> {
  const { table, parent } = TREES[tree];
  // Paid-as rank: the latest closed period that had ENDED by T. A rank earned in T's own period is not known at
  // T, so reading it would make an order's pay depend on when it was processed. The placement walk needs none.
  const rank =
    tree === "sponsor"
      ? Prisma.sql`(
          SELECT r."paidAsRank" FROM "DistributorRankPeriod" r
          WHERE r."shopId" = ${shopId}::uuid AND r."distributorId" = counted.id
            AND r."periodStart" <= (
              SELECT max(p."startsAt")::date FROM "CommissionPeriod" p
              WHERE p."shopId" = ${shopId}::uuid AND p."endsAt" <= ${at} AND p."revision" > 0
            )
          ORDER BY r."periodStart" DESC LIMIT 1
        )`
      : Prisma.sql`NULL::text`;
  const rows = await client.$queryRaw<ChainRow[]>(Prisma.sql`
    WITH RECURSIVE chain AS (
      SELECT e."distributorId" AS id, e.${parent} AS parent, 0 AS idx, false AS cycle
      FROM ${table} e
      WHERE e."shopId" = ${shopId}::uuid AND e."distributorId" = ${distributorId}::uuid
        AND e."validFrom" <= ${at} AND (e."validTo" IS NULL OR e."validTo" > ${at})
      UNION ALL
      -- A loop back to the start is caught at once; a loop above it runs into MAX_UPLINE_WALK. (A visited-path
      -- array would catch both but costs time in the square of the depth: 3 s for a 10,000-deep line.) Writes
      -- refuse cycles, so either is a corrupt tree.
      SELECT e."distributorId", e.${parent}, c.idx + 1, e."distributorId" = ${distributorId}::uuid
      FROM chain c
      -- LATERAL … OFFSET 0 is never flattened into a join: one primary-key probe per level whatever the row
      -- estimates (a join can be planned as a rescan of the shop's edges per level on stale statistics).
      CROSS JOIN LATERAL (
        SELECT x."distributorId", x.${parent} FROM ${table} x
        WHERE x."shopId" = ${shopId}::uuid AND x."distributorId" = c.parent
          AND x."validFrom" <= ${at} AND (x."validTo" IS NULL OR x."validTo" > ${at})
        OFFSET 0
      ) e
      WHERE NOT c.cycle AND c.idx < ${MAX_UPLINE_WALK}
    ),
    rated AS (
      SELECT c.id, c.idx, c.cycle, c.parent, COALESCE(s."status", 'active') AS status
      FROM chain c
      LEFT JOIN LATERAL (
        SELECT p."status" FROM "DistributorStatusPeriod" p
        WHERE p."shopId" = ${shopId}::uuid AND p."distributorId" = c.id
          AND p."validFrom" <= ${at}
        ORDER BY p."validFrom" DESC LIMIT 1
      ) s ON true
    ),
    counted AS (
      SELECT r.*,
        count(*) OVER () AS total,
        bool_or(r.cycle) OVER () AS any_cycle,
        last_value(r.parent) OVER (ORDER BY r.idx ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_parent,
        COALESCE(sum(CASE WHEN r.status = 'active' THEN 1 ELSE 0 END)
          OVER (ORDER BY r.idx ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS active_below
      FROM rated r
    )
    SELECT id AS "distributorId", status::text AS status, idx, total::int AS total, any_cycle AS cycle,
      last_parent AS "lastParent", ${rank} AS rank,
      EXISTS (SELECT 1 FROM "Distributor" d WHERE d."shopId" = ${shopId}::uuid AND d."id" = counted.id AND d."isCompanyNode") AS company
    FROM counted
    WHERE active_below < ${maxDepth} OR any_cycle OR last_parent IS NOT NULL
    ORDER BY idx`);

  const last = rows[rows.length - 1];
  if (!last) return [];
  const { parentName, treeName } = TREES[tree];
  if (last.cycle) throw new CorruptTreeError(distributorId, `the ${treeName} edges in force at ${at.toISOString()} loop`);
  if (last.lastParent !== null) {
    throw new CorruptTreeError(
      distributorId,
      last.total > MAX_UPLINE_WALK
        ? `the ${treeName} chain loops or is longer than ${MAX_UPLINE_WALK}`
        : `${parentName} ${last.lastParent} has no edge in force at ${at.toISOString()}`,
    );
  }
  return rows;
}

/** The sponsor upline, each node with its paid-as rank as known at `at` (never today's: see chainAt). */
export async function uplineAt(client: RawSqlClient, shopId: string, distributorId: string, at: Date, maxDepth: number): Promise<UplineNode[]> {
  const rows = await chainAt(client, "sponsor", shopId, distributorId, at, maxDepth);
  return rows.map((row) => ({
    distributorId: row.distributorId,
    status: row.status,
    rank: row.rank,
    sponsorDepth: Number(row.total) - 1 - Number(row.idx),
    // Only when true: the engine's snapshot writes the key only for the company node.
    ...(row.company ? { company: true } : {}),
  }));
}

/**
 * The placement upline (binary legs, matrix slots). Empty when the distributor had no place in the tree at `at`
 * (a shop without a placement tree, or someone enrolled before it had one). No rank: the forced matrix pays by
 * level only.
 */
export async function placementUplineAt(
  client: RawSqlClient,
  shopId: string,
  distributorId: string,
  at: Date,
  maxDepth: number,
): Promise<PlacementUplineNode[]> {
  const rows = await chainAt(client, "placement", shopId, distributorId, at, maxDepth);
  return rows.map((row) => ({
    distributorId: row.distributorId,
    status: row.status,
    placementDepth: Number(row.total) - 1 - Number(row.idx),
    ...(row.company ? { company: true } : {}),
  }));
}

/**
 * The ids of the whole chain, from `distributorId` itself up to its root, as of `at` (moves check for cycles
 * with it; the path between two distributors meets on it). Empty when the distributor was not in the tree.
 */
export async function chainIdsAt(client: RawSqlClient, tree: keyof typeof TREES, shopId: string, distributorId: string, at: Date): Promise<string[]> {
  const rows = await chainAt(client, tree, shopId, distributorId, at, MAX_UPLINE_WALK + 1);
  return rows.map((row) => row.distributorId);
}
