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
 * Every candidate is fetched in one query (app/services/commissions/attribution.server.ts, folded into the
 * order's context query); the choice among them is `chooseAttribution`, here.
 */
import { normalizeReferralCode } from "../genealogy/referral-code";
import type { ReferralReference } from "../platforms/normalized";
import { normalizeDiscountCode } from "./discount-code";

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

/** Reads the candidates the attribution query returned (a JSON array, dates as ISO strings). */
export function candidatesFromJson(json: unknown): AttributionCandidate[] {
  if (!Array.isArray(json)) return [];
  return (json as (Omit<AttributionCandidate, "enrolledAt"> & { enrolledAt: string })[]).map((row) => ({ ...row, enrolledAt: new Date(row.enrolledAt) }));
}

/** The rules above, over the candidates found. */
export function chooseAttribution(order: { readonly orderedAt: Date; readonly referrals: readonly ReferralReference[] }, candidates: readonly AttributionCandidate[]): Attribution | null {
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
