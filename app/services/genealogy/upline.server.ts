/**
 * "The upline of X as of T", in one recursive query over the sponsor edges in force at T
 * (validFrom <= T < coalesce(validTo, infinity)), each node with its status at T and its absolute depth.
 *
 * Depth is absolute (the root is 0) because the engine checks that it strictly decreases up the chain, so the
 * walk always goes to the root; only the rows the caller needs are returned. Status at T: the latest status period
 * at or before T (none: active since enrolment). The in-memory reference for the
 * same question is app/domain/genealogy/upline.ts.
 * placementUplineAt asks it of the placement tree (binary, forced matrix).
 */
import type { PlacementUplineNode, UplineNode } from "~/domain/engine";
import { CorruptTreeError } from "~/domain/genealogy/errors";
import type { DbOrTx } from "./db-client.server";

/** A chain longer than this is a corrupt tree (or a runaway), not a sponsor line. */
export const MAX_UPLINE_WALK = 100_000;

interface UplineRow {
  distributorId: string;
  status: UplineNode["status"];
  idx: number;
  total: number;
  cycle: boolean;
  lastSponsor: string | null;
  rank: string | null;
}

/**
 * The chain from `distributorId` itself (index 0) upward as of `at`: every node up to and including the
 * `maxDepth`-th active one (dynamic compression skips inactive uplines, so filling maxDepth levels can need
 * more than maxDepth nodes), or up to the root. Empty when the distributor was not in the tree at `at`.
 * Throws CorruptTreeError when the edges in force at `at` loop or point at a sponsor who was not in the tree.
 */
export async function uplineAt(client: DbOrTx, shopId: string, distributorId: string, at: Date, maxDepth: number): Promise<UplineNode[]> {
  const rows = await client.$queryRaw<UplineRow[]>`
    WITH RECURSIVE chain AS (
      SELECT e."distributorId" AS id, e."sponsorId" AS sponsor, 0 AS idx, false AS cycle
      FROM "SponsorEdge" e
      WHERE e."shopId" = ${shopId}::uuid AND e."distributorId" = ${distributorId}::uuid
        AND e."validFrom" <= ${at} AND (e."validTo" IS NULL OR e."validTo" > ${at})
      UNION ALL
      -- A loop back to the start is caught at once; a loop above it runs into MAX_UPLINE_WALK. (A visited-path
      -- array would catch both but costs time in the square of the depth: 3 s for a 10,000-deep line.) Writes
      -- refuse cycles, so either is a corrupt tree.
      SELECT e."distributorId", e."sponsorId", c.idx + 1, e."distributorId" = ${distributorId}::uuid
      FROM chain c
      -- LATERAL … OFFSET 0 is never flattened into a join: one primary-key probe per level whatever the row
      -- estimates (a join can be planned as a rescan of the shop's edges per level on stale statistics).
      CROSS JOIN LATERAL (
        SELECT x."distributorId", x."sponsorId" FROM "SponsorEdge" x
        WHERE x."shopId" = ${shopId}::uuid AND x."distributorId" = c.sponsor
          AND x."validFrom" <= ${at} AND (x."validTo" IS NULL OR x."validTo" > ${at})
        OFFSET 0
      ) e
      WHERE NOT c.cycle AND c.idx < ${MAX_UPLINE_WALK}
    ),
    rated AS (
      SELECT c.id, c.idx, c.cycle, c.sponsor, COALESCE(s."status", 'active') AS status
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
        last_value(r.sponsor) OVER (ORDER BY r.idx ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_sponsor,
        COALESCE(sum(CASE WHEN r.status = 'active' THEN 1 ELSE 0 END)
          OVER (ORDER BY r.idx ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS active_below
      FROM rated r
    )
    SELECT id AS "distributorId", status::text AS status, idx, total::int AS total, any_cycle AS cycle, last_sponsor AS "lastSponsor",
      rk."paidAsRank" AS rank
    FROM counted
    LEFT JOIN LATERAL (
      SELECT r."paidAsRank" FROM "DistributorRankPeriod" r
      WHERE r."shopId" = ${shopId}::uuid AND r."distributorId" = counted.id
        -- The rank of the latest period that had ENDED by T and was closed: a rank earned in T's own period is
        -- not known at T, so reading it would make an order's pay depend on when it was processed.
        AND r."periodStart" <= (
          SELECT max(p."startsAt")::date FROM "CommissionPeriod" p
          WHERE p."shopId" = ${shopId}::uuid AND p."endsAt" <= ${at} AND p."revision" > 0
        )
      ORDER BY r."periodStart" DESC LIMIT 1
    ) rk ON true
    WHERE active_below < ${maxDepth} OR any_cycle OR last_sponsor IS NOT NULL
    ORDER BY idx`;

  const last = rows[rows.length - 1];
  if (!last) return [];
  if (last.cycle) throw new CorruptTreeError(distributorId, `the sponsor edges in force at ${at.toISOString()} loop`);
  if (last.lastSponsor !== null) {
    throw new CorruptTreeError(
      distributorId,
      last.total > MAX_UPLINE_WALK
        ? `the chain loops or is longer than ${MAX_UPLINE_WALK}`
        : `sponsor ${last.lastSponsor} has no edge in force at ${at.toISOString()}`,
    );
  }
  return rows.map((row) => ({
    distributorId: row.distributorId,
    status: row.status,
    // Paid-as rank of the latest closed period that ended by T (DistributorRankPeriod, written by the close),
    // never Distributor.rank: today's rank must not leak into a past order.
    rank: row.rank,
    sponsorDepth: Number(row.total) - 1 - Number(row.idx),
  }));
}

interface PlacementUplineRow {
  distributorId: string;
  status: PlacementUplineNode["status"];
  idx: number;
  total: number;
  cycle: boolean;
  lastParent: string | null;
}

/**
 * The same question over the PLACEMENT tree (binary legs, matrix slots): the chain from `distributorId` itself
 * (index 0) up its placement parents as of `at`, over the PlacementEdge rows in force at `at`, each node with
 * its status at `at` and its absolute placement depth; every node up to the `maxDepth`-th active one, or up to
 * the root. Empty when the distributor had no place in the tree at `at` (a shop without a placement tree, or
 * someone enrolled before it had one). Throws CorruptTreeError like uplineAt. No rank: the forced matrix pays
 * by level only.
 */
export async function placementUplineAt(client: DbOrTx, shopId: string, distributorId: string, at: Date, maxDepth: number): Promise<PlacementUplineNode[]> {
  const rows = await client.$queryRaw<PlacementUplineRow[]>`
    WITH RECURSIVE chain AS (
      SELECT e."distributorId" AS id, e."parentId" AS parent, 0 AS idx, false AS cycle
      FROM "PlacementEdge" e
      WHERE e."shopId" = ${shopId}::uuid AND e."distributorId" = ${distributorId}::uuid
        AND e."validFrom" <= ${at} AND (e."validTo" IS NULL OR e."validTo" > ${at})
      UNION ALL
      -- As in uplineAt: a loop back to the start is caught at once, one above it runs into MAX_UPLINE_WALK, and
      -- LATERAL … OFFSET 0 keeps one primary-key probe per level whatever the planner estimates.
      SELECT e."distributorId", e."parentId", c.idx + 1, e."distributorId" = ${distributorId}::uuid
      FROM chain c
      CROSS JOIN LATERAL (
        SELECT x."distributorId", x."parentId" FROM "PlacementEdge" x
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
    SELECT id AS "distributorId", status::text AS status, idx, total::int AS total, any_cycle AS cycle, last_parent AS "lastParent"
    FROM counted
    WHERE active_below < ${maxDepth} OR any_cycle OR last_parent IS NOT NULL
    ORDER BY idx`;

  const last = rows[rows.length - 1];
  if (!last) return [];
  if (last.cycle) throw new CorruptTreeError(distributorId, `the placement edges in force at ${at.toISOString()} loop`);
  if (last.lastParent !== null) {
    throw new CorruptTreeError(
      distributorId,
      last.total > MAX_UPLINE_WALK
        ? `the placement chain loops or is longer than ${MAX_UPLINE_WALK}`
        : `placement parent ${last.lastParent} has no edge in force at ${at.toISOString()}`,
    );
  }
  return rows.map((row) => ({
    distributorId: row.distributorId,
    status: row.status,
    placementDepth: Number(row.total) - 1 - Number(row.idx),
  }));
}
