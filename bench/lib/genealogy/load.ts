/**
 * Loads the benchmark tree (`seed_node`, see tree.ts) into the project's own genealogy tables, one set-based
 * `INSERT … SELECT` per table. Every row is what the product's paths would write for the same history:
 * an enrolment edge per distributor (a root's has no sponsor), a closed edge plus a new edge and a
 * GenealogyMove per sponsor move, status rows for lapses, rank rows per monthly period when the rank changes,
 * and two periods of personal volume and one of binary leg volume.
 */
import { COMPANY_NODE_SINCE } from "../../../app/services/genealogy/company-node.server";
import { RANKS, referralCodeSql, type TreeShape } from "./tree";

/** The tree itself; reported as the genealogy storage. */
export const GENEALOGY_TABLES = ["Distributor", "GenealogyMove", "SponsorEdge", "PlacementEdge", "DistributorStatusPeriod", "DistributorRankPeriod"] as const;

/** Per-period commission inputs, growing by one period at a time: reported apart from the tree. */
export const PERIOD_TABLES = ["PeriodVolume", "BinaryLegVolume"] as const;

export interface LoadOptions {
  /** Whether enrolment writes an open `active` status row (the product's enrolment decides; see genealogy.ts). */
  initialStatusRow: boolean;
}

/** n = 1 is the shop's company node (app/services/genealogy/company-node.server.ts): in the tree since the epoch. */
const enrolled = (alias: string) => `CASE WHEN ${alias}.n = 1 THEN '${COMPANY_NODE_SINCE.toISOString()}'::timestamptz ELSE ${alias}.joined_at END`;

export function loadStatements(shape: TreeShape, shopId: string, now: string, options: LoadOptions): { table: string; sql: string }[] {
  const shop = `'${shopId}'::uuid`;
  const ranks = `(ARRAY[${RANKS.map((rank) => `'${rank}'`).join(",")}])`;
  const periods = (count: number) =>
    `(SELECT k, (date_trunc('month', '${now}'::timestamptz AT TIME ZONE 'UTC') - k * interval '1 month')::date AS period_start FROM generate_series(0, ${count - 1}) AS k)`;
  const statusRows = options.initialStatusRow
    ? `SELECT ${shop}, id, joined_at, lapse_at, 'active'::"DistributorStatus" FROM seed_node
       UNION ALL
       SELECT ${shop}, id, lapse_at, NULL, lapse_status FROM seed_node WHERE lapse_at IS NOT NULL`
    : `SELECT ${shop}, id, lapse_at, NULL, lapse_status FROM seed_node WHERE lapse_at IS NOT NULL`;
  return [
    {
      table: "Distributor",
      sql: `INSERT INTO "Distributor" (id, "shopId", code, status, rank, email, name, "isCompanyNode", "enrolledAt", "createdAt", "updatedAt")
            SELECT s.id, ${shop}, ${referralCodeSql("s.n")}, coalesce(s.lapse_status, 'active'),
                   CASE WHEN s.n % 5 = 0 OR s.n = 1 THEN ${ranks}[1 + (s.n / 5) % 5] END,
                   CASE WHEN s.n > 1 THEN 'd' || s.n || '@example.com' END,
                   CASE WHEN s.n > 1 THEN 'Distributor ' || s.n ELSE 'Company' END,
                   s.n = 1, ${enrolled("s")}, s.joined_at, s.joined_at
            FROM seed_node s`,
    },
    {
      table: "GenealogyMove",
      sql: `INSERT INTO "GenealogyMove" ("shopId", tree, "distributorId", "fromParentId", "toParentId", "effectiveFrom", reason, actor, "createdAt")
            SELECT ${shop}, 'sponsor', s.id, old.id, new.id, s.move_at, 'enrolled under the wrong sponsor', 'bench', s.move_at
            FROM seed_node s JOIN seed_node old ON old.n = s.sponsor_n JOIN seed_node new ON new.n = s.new_sponsor_n
            WHERE s.move_at IS NOT NULL`,
    },
    {
      table: "SponsorEdge",
      sql: `INSERT INTO "SponsorEdge" ("shopId", "distributorId", "validFrom", "validTo", "sponsorId", "createdAt")
            SELECT ${shop}, s.id, ${enrolled("s")}, s.move_at, sponsor.id, s.joined_at
            FROM seed_node s LEFT JOIN seed_node sponsor ON sponsor.n = s.sponsor_n`,
    },
    {
      table: "SponsorEdge (moves)",
      sql: `INSERT INTO "SponsorEdge" ("shopId", "distributorId", "validFrom", "validTo", "sponsorId", "moveId", "createdAt")
            SELECT "shopId", "distributorId", "effectiveFrom", NULL, "toParentId", id, "createdAt" FROM "GenealogyMove"`,
    },
    {
      table: "PlacementEdge",
      sql: `INSERT INTO "PlacementEdge" ("shopId", "distributorId", "validFrom", "parentId", position, "createdAt")
            SELECT ${shop}, s.id, ${enrolled("s")}, parent.id, CASE WHEN parent.id IS NOT NULL THEN s.placement_position END, s.joined_at
            FROM seed_node s LEFT JOIN seed_node parent ON parent.n = s.placement_parent_n`,
    },
    {
      table: "DistributorStatusPeriod",
      sql: `INSERT INTO "DistributorStatusPeriod" ("shopId", "distributorId", "validFrom", "validTo", status) ${statusRows}`,
    },
    // Recruiters get a rank row for their first period and then, in each later period, a 10% chance of a new
    // paid-as rank. "Rank at T" is the latest row at or before T's period; no row means the entry rank.
    {
      table: "DistributorRankPeriod",
      sql: `INSERT INTO "DistributorRankPeriod" ("shopId", "distributorId", "periodStart", "achievedRank", "paidAsRank")
            SELECT ${shop}, s.id, p.period_start, ${ranks}[1 + (s.n / 5 + p.k) % 5], ${ranks}[1 + (s.n / 5 + p.k) % 5]
            FROM seed_node s CROSS JOIN ${periods(12)} AS p
            WHERE (s.n % 5 = 0 OR s.n = 1) AND s.joined_at < p.period_start + interval '1 month'
              AND (s.joined_at >= p.period_start OR p.k = 11 OR random() < 0.1)`,
    },
    {
      table: "PeriodVolume",
      sql: `INSERT INTO "PeriodVolume" ("shopId", "distributorId", "periodStart", "pvHundredths")
            SELECT ${shop}, s.id, p.period_start, 100 + floor(random() * 50000)::bigint
            FROM seed_node s CROSS JOIN ${periods(2)} AS p
            WHERE s.joined_at < p.period_start + interval '1 month' AND random() < 0.6`,
    },
    {
      table: "BinaryLegVolume",
      sql: `INSERT INTO "BinaryLegVolume" ("shopId", "distributorId", "periodStart", "leftHundredths", "rightHundredths")
            SELECT ${shop}, s.id, p.period_start, floor(random() * 1e6)::bigint, floor(random() * 1e6)::bigint
            FROM seed_node s CROSS JOIN ${periods(1)} AS p`,
    },
  ];
}
