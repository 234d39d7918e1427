/**
 * The query behind attribution: every candidate distributor of an order (the buyer's linked distributor, the
 * distributors its referral codes and coupons name) in one scalar subquery. Which candidate wins is the pure rule
 * in app/domain/attribution/attribution.ts.
 */
import { normalizeDiscountCode } from "~/domain/attribution/discount-code";
import { normalizeReferralCode } from "~/domain/genealogy/referral-code";
import { Prisma } from "~/generated/prisma/client";
import type { OrderForCommission } from "./order-input.server";

/**
 * The query that finds every candidate of an order as one JSON array (a scalar subquery), so the caller can fold
 * it into the round trip that loads the rest of the order's context.
 */
export function attributionCandidatesSql(
  shopId: string,
  order: Pick<OrderForCommission, "platform" | "platformOrderId" | "customerPlatformId" | "referrals">,
): Prisma.Sql {
  const codes = [...new Set(order.referrals.map((reference) => normalizeReferralCode(reference.code)).filter((code): code is string => code !== null))];
  const coupons = [
    ...new Set(
      order.referrals
        .filter((reference) => reference.source === "discount_code")
        .map((reference) => normalizeDiscountCode(reference.code))
        .filter((code): code is string => code !== null),
    ),
  ];
  return Prisma.sql`(
    SELECT json_agg(json_build_object('kind', a.kind, 'key', a.key, 'distributorId', a.id, 'distributorCode', a.code,
      'enrolledAt', to_char(a."enrolledAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'provisionalUntil', to_char(a."provisionalSponsorUntil", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'sponsorId', a."sponsorId"))
    FROM (
      -- The buyer's sponsor now and whether it is still provisional (ADR 0008); only the buyer needs them.
      SELECT 'buyer' AS kind, NULL AS key, d."id", d."code", d."enrolledAt", d."provisionalSponsorUntil",
        (SELECT e."sponsorId" FROM "SponsorEdge" e WHERE e."shopId" = ${shopId}::uuid AND e."distributorId" = d."id" AND e."validTo" IS NULL
          ORDER BY e."validFrom" DESC LIMIT 1) AS "sponsorId"
      FROM "DistributorCustomerRef" r JOIN "Distributor" d ON d."id" = r."distributorId"
      WHERE r."shopId" = ${shopId}::uuid AND r."platform" = ${order.platform}::"Platform" AND r."platformCustomerId" = ${order.customerPlatformId}
      UNION ALL
      SELECT 'code', d."code", d."id", d."code", d."enrolledAt", NULL, NULL
      FROM "Distributor" d WHERE d."shopId" = ${shopId}::uuid AND d."code" = ANY(${codes}::text[])
      UNION ALL
      SELECT 'coupon', m."code", d."id", d."code", d."enrolledAt", NULL, NULL
      FROM "DiscountCodeMapping" m JOIN "Distributor" d ON d."id" = m."distributorId"
      WHERE m."shopId" = ${shopId}::uuid AND m."code" = ANY(${coupons}::text[])
      UNION ALL
      -- The Web Pixel's report for this Shopify order (rule 4), if one came.
      SELECT 'pixel', p."code", d."id", d."code", d."enrolledAt", NULL, NULL
      FROM "PixelSignal" p JOIN "Distributor" d ON d."shopId" = p."shopId" AND d."code" = p."code"
      WHERE p."shopId" = ${shopId}::uuid AND ${order.platform} = 'shopify' AND p."platformOrderId" = ${order.platformOrderId}
    ) a
  )`;
}
