/**
 * The genealogy a close reads, as of the period's end (the instant just before `end`, so an edge or a status
 * valid until exactly `end` still counts): everyone in the sponsor tree with their sponsor, binary placement
 * and status (SponsorEdge, PlacementEdge, DistributorStatusPeriod, the genealogy's effective-dated tables), and
 * the highest rank each achieved before the period (DistributorRankPeriod). Set-based: three queries however
 * large the shop.
 */
import type { BinarySide, PeriodDistributor, PreviousRank } from "~/domain/periods";
import type { DbOrTx } from "~/db/tx.server";

interface TreeRow {
  distributorId: string;
  sponsorId: string | null;
  parentId: string | null;
  position: number | null;
  status: PeriodDistributor["status"];
  company: boolean;
}

const SIDES: readonly BinarySide[] = ["left", "right"];

/** `binary`: the plan pays a binary component, so placement positions 0/1 are legs (otherwise none is read). */
export async function loadDistributorsAt(client: DbOrTx, shopId: string, end: Date, binary: boolean): Promise<PeriodDistributor[]> {
  const rows = await client.$queryRaw<TreeRow[]>`
    SELECT e."distributorId", e."sponsorId", p."parentId", p."position"::int AS position, COALESCE(st."status"::text, 'active') AS status,
      d."isCompanyNode" AS company
    FROM "SponsorEdge" e
    JOIN "Distributor" d ON d."shopId" = e."shopId" AND d."id" = e."distributorId"
    LEFT JOIN "PlacementEdge" p ON ${binary} AND p."shopId" = e."shopId" AND p."distributorId" = e."distributorId"
      AND p."validFrom" < ${end} AND (p."validTo" IS NULL OR p."validTo" >= ${end})
    LEFT JOIN LATERAL (
      SELECT s."status" FROM "DistributorStatusPeriod" s
      WHERE s."shopId" = e."shopId" AND s."distributorId" = e."distributorId" AND s."validFrom" < ${end}
      ORDER BY s."validFrom" DESC LIMIT 1
    ) st ON true
    WHERE e."shopId" = ${shopId}::uuid AND e."validFrom" < ${end} AND (e."validTo" IS NULL OR e."validTo" >= ${end})`;
  return rows.map((row) => {
    const side = row.position === null ? undefined : SIDES[row.position];
    return {
      distributorId: row.distributorId,
      sponsorId: row.sponsorId,
      placement: row.parentId !== null && side ? { parentId: row.parentId, side } : null,
      status: row.status,
      // Only when true, so the close snapshots of shops without one keep their text.
      ...(row.company ? { company: true } : {}),
    };
  });
}

/** The latest achieved rank before the period starts (rows are written by closes, only when a rank changes). */
export async function loadPreviousRanks(client: DbOrTx, shopId: string, start: Date): Promise<PreviousRank[]> {
  const rows = await client.$queryRaw<{ distributorId: string; achievedRank: string }[]>`
    SELECT DISTINCT ON ("distributorId") "distributorId", "achievedRank"
    FROM "DistributorRankPeriod"
    WHERE "shopId" = ${shopId}::uuid AND "periodStart" < ${start.toISOString().slice(0, 10)}::date
    ORDER BY "distributorId", "periodStart" DESC`;
  return rows.map((row) => ({ distributorId: row.distributorId, highestRank: row.achievedRank }));
}
