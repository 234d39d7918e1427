/**
 * The genealogy's read side, every query scoped by shop and answered as of an instant T from the
 * effective-dated edges (bench/GENEALOGY-STORAGE.md §8):
 *   uplineDetailsAt   the sponsor chain above X with each node's code, status and paid-as rank at T
 *   downlinePage      levels 1..depth below X at T: per-level counts and volumes, one keyset page of members
 *   pathBetweenAt     the path between two distributors in the sponsor tree at T
 *   binaryLegVolumes  the stored left/right leg volumes of one period (written by the period close)
 *   ranksAt / rankHistory   DistributorRankPeriod, written by the period close
 */
import { pathBetween, type TreePath } from "~/domain/genealogy/path-between";
import type { DbOrTx } from "~/db/tx.server";
import { chainIdsAt } from "./upline.server";

export const MAX_DOWNLINE_DEPTH = 10;
export const DOWNLINE_PAGE_SIZE = 50;

/** The first day (UTC) of T's calendar month: the period key of PeriodVolume / DistributorRankPeriod rows. */
export function periodStartOf(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export interface UplineEntry {
  readonly level: number;
  readonly distributorId: string;
  readonly code: string;
  readonly status: "active" | "inactive" | "terminated";
  readonly paidAsRank: string | null;
  readonly isCompanyNode: boolean;
}

/** Up to `levels` sponsors above `distributorId` at `at`, nearest first (level 1 = the sponsor). */
export async function uplineDetailsAt(client: DbOrTx, shopId: string, distributorId: string, at: Date, levels: number): Promise<UplineEntry[]> {
  return client.$queryRaw<UplineEntry[]>`
    WITH RECURSIVE up (level, "distributorId") AS (
      SELECT 0, ${distributorId}::uuid
      UNION ALL
      SELECT up.level + 1, edge."sponsorId"
      FROM up
      CROSS JOIN LATERAL (
        SELECT e."sponsorId", e."validTo" FROM "SponsorEdge" e
        WHERE e."shopId" = ${shopId}::uuid AND e."distributorId" = up."distributorId" AND e."validFrom" <= ${at}
        ORDER BY e."validFrom" DESC LIMIT 1
      ) AS edge
      WHERE up.level < ${levels} AND edge."sponsorId" IS NOT NULL AND (edge."validTo" IS NULL OR edge."validTo" > ${at})
    )
    SELECT up.level, up."distributorId", d."code", coalesce(st.status::text, 'active') AS status, rk."paidAsRank", d."isCompanyNode"
    FROM up
    JOIN "Distributor" d ON d."shopId" = ${shopId}::uuid AND d."id" = up."distributorId"
    LEFT JOIN LATERAL (
      SELECT s."status" FROM "DistributorStatusPeriod" s
      WHERE s."shopId" = ${shopId}::uuid AND s."distributorId" = up."distributorId" AND s."validFrom" <= ${at}
      ORDER BY s."validFrom" DESC LIMIT 1
    ) AS st ON true
    LEFT JOIN LATERAL (
      SELECT r."paidAsRank" FROM "DistributorRankPeriod" r
      WHERE r."shopId" = ${shopId}::uuid AND r."distributorId" = up."distributorId" AND r."periodStart" <= ${periodStartOf(at)}::date
      ORDER BY r."periodStart" DESC LIMIT 1
    ) AS rk ON true
    WHERE up.level > 0
    ORDER BY up.level`;
}

export interface DownlineCursor {
  readonly level: number;
  readonly distributorId: string;
}

export interface DownlineMember {
  readonly level: number;
  readonly distributorId: string;
  readonly code: string;
  readonly status: "active" | "inactive" | "terminated";
  readonly pvHundredths: bigint;
}

export interface DownlinePage {
  readonly levels: readonly { level: number; members: number; pvHundredths: bigint }[];
  readonly members: readonly DownlineMember[];
  readonly next: DownlineCursor | null;
}

/**
 * Levels 1..depth of `distributorId`'s sponsor downline at `at`, with per-level member counts and personal
 * volumes of T's period, and one page of members ordered by (level, id) after `cursor`. Volumes are probed
 * per member (LATERAL … LIMIT 1): a plain join makes the planner hash the whole period's volume table.
 */
export async function downlinePage(
  client: DbOrTx,
  shopId: string,
  distributorId: string,
  at: Date,
  depth: number,
  cursor: DownlineCursor | null,
  pageSize = DOWNLINE_PAGE_SIZE,
): Promise<DownlinePage> {
  const period = periodStartOf(at);
  const afterLevel = cursor?.level ?? 0;
  const afterId = cursor?.distributorId ?? "00000000-0000-0000-0000-000000000000";
  const [row] = await client.$queryRaw<
    {
      levels: { level: number; members: number; pv: string }[];
      page: { level: number; id: string; code: string; status: DownlineMember["status"]; pv: string | null }[];
    }[]
  >`
    WITH RECURSIVE down (level, "distributorId") AS (
      SELECT 1, e."distributorId" FROM "SponsorEdge" e
      WHERE e."shopId" = ${shopId}::uuid AND e."sponsorId" = ${distributorId}::uuid
        AND e."validFrom" <= ${at} AND (e."validTo" IS NULL OR e."validTo" > ${at})
      UNION ALL
      -- LATERAL … OFFSET 0 (never flattened into a join): one index probe of (shopId, sponsorId, validFrom) per
      -- member whatever the row estimates say. A plain join let the planner rescan the shop's edges once per
      -- member on tables without fresh statistics: 500 ms instead of 10 for 2,000 members.
      SELECT down.level + 1, child."distributorId" FROM down
      CROSS JOIN LATERAL (
        SELECT e."distributorId" FROM "SponsorEdge" e
        WHERE e."shopId" = ${shopId}::uuid AND e."sponsorId" = down."distributorId"
          AND e."validFrom" <= ${at} AND (e."validTo" IS NULL OR e."validTo" > ${at})
        OFFSET 0
      ) child
      WHERE down.level < ${depth}
    ),
    volumes AS (
      SELECT down.level, down."distributorId", v."pvHundredths" AS pv FROM down
      LEFT JOIN LATERAL (
        SELECT p."pvHundredths" FROM "PeriodVolume" p
        WHERE p."shopId" = ${shopId}::uuid AND p."distributorId" = down."distributorId" AND p."periodStart" = ${period}::date
        LIMIT 1
      ) v ON true
    ),
    levels AS (
      SELECT level, count(*)::int AS members, coalesce(sum(pv), 0)::text AS pv FROM volumes GROUP BY level
    ),
    page AS (
      SELECT level, "distributorId", pv FROM volumes
      WHERE (level, "distributorId") > (${afterLevel}::int, ${afterId}::uuid)
      ORDER BY level, "distributorId" LIMIT ${pageSize + 1}
    )
    SELECT
      (SELECT coalesce(json_agg(levels ORDER BY levels.level), '[]') FROM levels) AS levels,
      (SELECT coalesce(json_agg(json_build_object('level', page.level, 'id', page."distributorId", 'code', d."code",
                 'status', coalesce(st.status::text, 'active'), 'pv', page.pv::text) ORDER BY page.level, page."distributorId"), '[]')
       FROM page
       JOIN "Distributor" d ON d."shopId" = ${shopId}::uuid AND d."id" = page."distributorId"
       LEFT JOIN LATERAL (
         SELECT s."status" FROM "DistributorStatusPeriod" s
         WHERE s."shopId" = ${shopId}::uuid AND s."distributorId" = page."distributorId" AND s."validFrom" <= ${at}
         ORDER BY s."validFrom" DESC LIMIT 1
       ) st ON true) AS page`;
  const rows = row?.page ?? [];
  const members = rows.slice(0, pageSize).map((member) => ({
    level: member.level,
    distributorId: member.id,
    code: member.code,
    status: member.status,
    pvHundredths: BigInt(member.pv ?? "0"),
  }));
  const last = members[members.length - 1];
  return {
    levels: (row?.levels ?? []).map((level) => ({ level: level.level, members: level.members, pvHundredths: BigInt(level.pv) })),
    members,
    next: rows.length > pageSize && last ? { level: last.level, distributorId: last.distributorId } : null,
  };
}

/** Opaque cursor text for a REST client: base64url of "level:id". */
export function encodeDownlineCursor(cursor: DownlineCursor): string {
  return Buffer.from(`${cursor.level}:${cursor.distributorId}`, "utf8").toString("base64url");
}

export function decodeDownlineCursor(text: string): DownlineCursor | null {
  const match = /^(\d{1,4}):([0-9a-f-]{36})$/i.exec(Buffer.from(text, "base64url").toString("utf8"));
  return match ? { level: Number(match[1]), distributorId: match[2]!.toLowerCase() } : null;
}

/** Sponsor chain ids from the node itself up to its root at `at`. */
export function sponsorChainAt(client: DbOrTx, shopId: string, distributorId: string, at: Date): Promise<string[]> {
  return chainIdsAt(client, "sponsor", shopId, distributorId, at);
}

/** Null when either is not in the tree at `at` or they have no common ancestor. */
export async function pathBetweenAt(client: DbOrTx, shopId: string, a: string, b: string, at: Date): Promise<TreePath | null> {
  const [chainA, chainB] = await Promise.all([sponsorChainAt(client, shopId, a, at), sponsorChainAt(client, shopId, b, at)]);
  if (chainA.length === 0 || chainB.length === 0) return null;
  return pathBetween(chainA, chainB);
}

/** Left and right leg volumes of one period for one distributor, or null before the period close wrote them. */
export async function binaryLegVolumes(client: DbOrTx, shopId: string, distributorId: string, at: Date) {
  const row = await client.binaryLegVolume.findUnique({
    where: { shopId_distributorId_periodStart: { shopId, distributorId, periodStart: periodStartOf(at) } },
    select: { periodStart: true, leftHundredths: true, rightHundredths: true, computedAt: true },
  });
  return row;
}

/**
 * Achieved and paid-as rank for each distributor in the period that contains `at`: the latest row with
 * periodStart at or before that period (rows are written only when the rank changes). Missing: the plan's
 * entry rank (no row).
 */
export async function ranksAt(client: DbOrTx, shopId: string, distributorIds: readonly string[], at: Date) {
  if (distributorIds.length === 0) return new Map<string, { achievedRank: string; paidAsRank: string | null; periodStart: Date }>();
  const rows = await client.$queryRaw<{ distributorId: string; achievedRank: string; paidAsRank: string | null; periodStart: Date }[]>`
    SELECT DISTINCT ON ("distributorId") "distributorId", "achievedRank", "paidAsRank", "periodStart"
    FROM "DistributorRankPeriod"
    WHERE "shopId" = ${shopId}::uuid AND "distributorId" = ANY(${distributorIds}::uuid[]) AND "periodStart" <= ${periodStartOf(at)}::date
    ORDER BY "distributorId", "periodStart" DESC`;
  return new Map(rows.map((row) => [row.distributorId, { achievedRank: row.achievedRank, paidAsRank: row.paidAsRank, periodStart: row.periodStart }]));
}

export function rankHistory(client: DbOrTx, shopId: string, distributorId: string) {
  return client.distributorRankPeriod.findMany({
    where: { shopId, distributorId },
    orderBy: { periodStart: "asc" },
    select: { periodStart: true, achievedRank: true, paidAsRank: true, computedAt: true },
  });
}
