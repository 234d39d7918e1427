/**
 * What the benchmark runs besides the app's own query functions, over the project's tables: the baseline, the
 * downline page without live volumes (a comparison), the placement walk and both leg-volume write paths.
 * Parameters: $1 shop, $2 distributor, $3 the instant T (UTC), then per query.
 */

/** The baseline of every measurement: one primary-key lookup of the same distributor. */
export const PK_LOOKUP = `SELECT id, code, "enrolledAt" FROM "Distributor" WHERE "shopId" = $1::uuid AND id = $2::uuid`;

/**
 * Per-member volume: one index probe per member. The recursive CTE's row estimate is far too high, and a plain
 * join would make the planner hash the whole period's volume table even for a downline of ten.
 */
const LEVEL_VOLUME_JOIN = `
  LEFT JOIN LATERAL (
    SELECT p."pvHundredths" FROM "PeriodVolume" p
    WHERE p."shopId" = $1::uuid AND p."distributorId" = down."distributorId" AND p."periodStart" = $6::date
    LIMIT 1
  ) AS v ON true`;

/**
 * §8 "downline levels 1..3, one page, with counts": the page of 50 after the keyset ($4 level, $5 id), the
 * per-level counts (and, `withVolumes`, live per-level personal volume totals of period $6), each member
 * with code, status at T and personal volume.
 */
export function downlinePage(withVolumes: boolean): string {
  return `
WITH RECURSIVE down (level, "distributorId") AS (
  SELECT 1, e."distributorId" FROM "SponsorEdge" e
  WHERE e."shopId" = $1::uuid AND e."sponsorId" = $2::uuid AND e."validFrom" <= $3::timestamp
    AND (e."validTo" IS NULL OR e."validTo" > $3::timestamp)
  UNION ALL
  SELECT down.level + 1, e."distributorId" FROM down
  JOIN "SponsorEdge" e ON e."shopId" = $1::uuid AND e."sponsorId" = down."distributorId"
   AND e."validFrom" <= $3::timestamp AND (e."validTo" IS NULL OR e."validTo" > $3::timestamp)
  WHERE down.level < 3
),
levels AS (
  SELECT down.level, count(*) AS members${withVolumes ? `, coalesce(sum(v."pvHundredths"), 0) AS "pvHundredths"` : ""}
  FROM down
  ${withVolumes ? LEVEL_VOLUME_JOIN : ""}
  GROUP BY down.level
),
page AS (
  SELECT down.level, down."distributorId" FROM down
  WHERE (down.level, down."distributorId") > ($4::int, $5::uuid)
  ORDER BY down.level, down."distributorId" LIMIT 50
)
SELECT (SELECT coalesce(json_agg(levels ORDER BY levels.level), '[]') FROM levels) AS levels,
       (SELECT coalesce(json_agg(json_build_object('level', page.level, 'id', page."distributorId", 'code', d.code,
                                                   'status', coalesce(st.status, 'active'), 'pv', v."pvHundredths")
                                 ORDER BY page.level, page."distributorId"), '[]')
        FROM page
        JOIN "Distributor" d ON d."shopId" = $1::uuid AND d.id = page."distributorId"
        LEFT JOIN LATERAL (
          SELECT s.status FROM "DistributorStatusPeriod" s
          WHERE s."shopId" = $1::uuid AND s."distributorId" = page."distributorId" AND s."validFrom" <= $3::timestamp
          ORDER BY s."validFrom" DESC LIMIT 1
        ) AS st ON true
        LEFT JOIN "PeriodVolume" v ON v."shopId" = $1::uuid AND v."distributorId" = page."distributorId"
         AND v."periodStart" = $6::date) AS page`;
}

/** Placement upline of `buyer` ($2) at T with the side each ancestor is reached from, up to `levels`. */
export function placementUpline(levels: number): string {
  return `
WITH RECURSIVE up (level, "parentId", position) AS (
  SELECT 1, edge."parentId", edge.position FROM (
    SELECT e."parentId", e.position, e."validTo" FROM "PlacementEdge" e
    WHERE e."shopId" = $1::uuid AND e."distributorId" = $2::uuid AND e."validFrom" <= $3::timestamp
    ORDER BY e."validFrom" DESC LIMIT 1
  ) AS edge WHERE edge."parentId" IS NOT NULL AND (edge."validTo" IS NULL OR edge."validTo" > $3::timestamp)
  UNION ALL
  SELECT up.level + 1, edge."parentId", edge.position FROM up CROSS JOIN LATERAL (
    SELECT e."parentId", e.position, e."validTo" FROM "PlacementEdge" e
    WHERE e."shopId" = $1::uuid AND e."distributorId" = up."parentId" AND e."validFrom" <= $3::timestamp
    ORDER BY e."validFrom" DESC LIMIT 1
  ) AS edge WHERE up.level < ${levels} AND edge."parentId" IS NOT NULL
    AND (edge."validTo" IS NULL OR edge."validTo" > $3::timestamp)
)`;
}

/** The rejected alternative: one order adds its volume ($5) to the proper leg of every placement ancestor. */
export const LEG_VOLUME_EAGER = `${placementUpline(1_000_000)}
INSERT INTO "BinaryLegVolume" AS leg ("shopId", "distributorId", "periodStart", "leftHundredths", "rightHundredths")
SELECT $1::uuid, up."parentId", $4::date,
       CASE WHEN up.position = 0 THEN $5::bigint ELSE 0 END, CASE WHEN up.position = 1 THEN $5::bigint ELSE 0 END
FROM up
ON CONFLICT ("shopId", "distributorId", "periodStart") DO UPDATE
SET "leftHundredths" = leg."leftHundredths" + excluded."leftHundredths",
    "rightHundredths" = leg."rightHundredths" + excluded."rightHundredths",
    "computedAt" = excluded."computedAt"`;

/**
 * The most a derived design writes per order: add to the buyer's personal volume of the period ($3 period,
 * $4 volume). The product writes even less: its period close derives PeriodVolume from the period's orders.
 */
export const PERSONAL_VOLUME_UPSERT = `
INSERT INTO "PeriodVolume" AS v ("shopId", "distributorId", "periodStart", "pvHundredths") VALUES ($1::uuid, $2::uuid, $3::date, $4::bigint)
ON CONFLICT ("shopId", "distributorId", "periodStart") DO UPDATE SET "pvHundredths" = v."pvHundredths" + excluded."pvHundredths"`;
