/**
 * Who an order belongs to. In order:
 *
 * 1. The buyer IS a distributor (their platform customer account is linked to one who was enrolled at the
 *    order's time): it is their personal order. They get the volume; the commission chain starts at THEIR
 *    SPONSOR (level 1), so nobody is paid on their own consumption. This is how unilevel plans read "level 1 =
 *    the volume of the people you personally enrolled" (Young Living, doTERRA), and paying people on their own
 *    purchases is what regulators read as a pyramid signal (FTC business guidance on MLMs). It also comes before
 *    any code on the cart: a link or coupon of another distributor cannot move a distributor's own orders into
 *    another line (cross-line poaching), and a self-referral code changes nothing.
 * 2. A referral code carried by the order (cart attribute, order meta data, extension attribute, API
 *    referrer), in the priority the platform adapter gave them → the distributor with that code.
 * 3. A discount code: one mapped to a distributor (DiscountCodeMapping), else one equal to a distributor's
 *    referral code (distributors often share their code as a coupon).
 * Nothing matches: no attributed distributor (the engine books every level as breakage).
 *
 * A code only counts for a distributor enrolled at the order's time; status does not matter here (an inactive
 * referrer's level is handled by the plan's compression, like any other inactive upline).
 *
 * Every candidate is fetched in one query (folded into the order's context query); the choice among them is
 * the pure `chooseAttribution`.
 */
import { normalizeReferralCode } from "~/domain/genealogy/referral-code";
import type { ReferralReference } from "~/domain/platforms/normalized";
import { Prisma } from "~/generated/prisma/client";
import { normalizeDiscountCode } from "./discount-codes.server";
import type { OrderForCommission } from "./order-input.server";

export type AttributionSource = "buyer_is_distributor" | ReferralReference["source"] | "discount_code_mapping";

export interface Attribution {
  readonly distributorId: string;
  readonly source: AttributionSource;
  /** The code that matched; null for a buyer who is a distributor. */
  readonly code: string | null;
  /** True for a distributor's personal order: commissions start at their sponsor. */
  readonly chainStartsAboveDistributor: boolean;
  /** When the attributed distributor enrolled: for a buyer who is a distributor, fast-start's window opens here. */
  readonly enrolledAt: Date;
}

export interface AttributionCandidate {
  readonly kind: "buyer" | "code" | "coupon";
  /** The normalized code it was found by (null for the buyer). */
  readonly key: string | null;
  readonly distributorId: string;
  readonly distributorCode: string;
  readonly enrolledAt: Date;
}

/**
 * The query that finds every candidate of an order as one JSON array (a scalar subquery), so the caller can fold
 * it into the round trip that loads the rest of the order's context.
 */
export function attributionCandidatesSql(shopId: string, order: Pick<OrderForCommission, "platform" | "customerPlatformId" | "referrals">): Prisma.Sql {
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
      'enrolledAt', to_char(a."enrolledAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
    FROM (
      SELECT 'buyer' AS kind, NULL AS key, d."id", d."code", d."enrolledAt"
      FROM "DistributorCustomerRef" r JOIN "Distributor" d ON d."id" = r."distributorId"
      WHERE r."shopId" = ${shopId}::uuid AND r."platform" = ${order.platform}::"Platform" AND r."platformCustomerId" = ${order.customerPlatformId}
      UNION ALL
      SELECT 'code', d."code", d."id", d."code", d."enrolledAt"
      FROM "Distributor" d WHERE d."shopId" = ${shopId}::uuid AND d."code" = ANY(${codes}::text[])
      UNION ALL
      SELECT 'coupon', m."code", d."id", d."code", d."enrolledAt"
      FROM "DiscountCodeMapping" m JOIN "Distributor" d ON d."id" = m."distributorId"
      WHERE m."shopId" = ${shopId}::uuid AND m."code" = ANY(${coupons}::text[])
    ) a
  )`;
}

/** Reads what attributionCandidatesSql returned. */
export function candidatesFromJson(json: unknown): AttributionCandidate[] {
  if (!Array.isArray(json)) return [];
  return (json as (Omit<AttributionCandidate, "enrolledAt"> & { enrolledAt: string })[]).map((row) => ({ ...row, enrolledAt: new Date(row.enrolledAt) }));
}

/** The rules above, over the candidates found (pure). */
export function chooseAttribution(order: Pick<OrderForCommission, "orderedAt" | "referrals">, candidates: readonly AttributionCandidate[]): Attribution | null {
  const enrolled = candidates.filter((candidate) => candidate.enrolledAt.getTime() <= order.orderedAt.getTime());
  const find = (kind: "code" | "coupon", key: string | null) =>
    key === null ? undefined : enrolled.find((candidate) => candidate.kind === kind && candidate.key === key);

  const buyer = enrolled.find((candidate) => candidate.kind === "buyer");
  if (buyer) {
    return { distributorId: buyer.distributorId, source: "buyer_is_distributor", code: null, chainStartsAboveDistributor: true, enrolledAt: buyer.enrolledAt };
  }

  for (const reference of order.referrals) {
    if (reference.source === "discount_code") continue;
    const match = find("code", normalizeReferralCode(reference.code));
    if (match) return referredBy(match, reference.source, match.distributorCode);
  }
  for (const reference of order.referrals) {
    if (reference.source !== "discount_code") continue;
    const coupon = normalizeDiscountCode(reference.code);
    const mapped = find("coupon", coupon);
    if (mapped) return referredBy(mapped, "discount_code_mapping", coupon);
    const match = find("code", normalizeReferralCode(reference.code));
    if (match) return referredBy(match, "discount_code", match.distributorCode);
  }
  return null;
}

function referredBy(candidate: AttributionCandidate, source: AttributionSource, code: string | null): Attribution {
  return { distributorId: candidate.distributorId, source, code, chainStartsAboveDistributor: false, enrolledAt: candidate.enrolledAt };
}
