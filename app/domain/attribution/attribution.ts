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
 * 4. The Web Pixel's report (PixelSignal): the referral code the browser held at checkout_completed for this
 *    order id, for checkouts that skipped the cart ("Buy it now", accelerated checkouts). Unsigned, so last, and
 *    never for a buyer who is a distributor: it can point an order Shopify delivered at an affiliate, nothing more.
 * Nothing matches: no attributed distributor (the engine books every level as breakage).
 *
 * Except a PROVISIONAL buyer (ADR 0008, docs/decisions/0008-provisional-sponsor.md): a customer auto-enrolled
 * without a sponsor code hangs under the shop's default sponsor until `provisionalUntil`. Their first order in that
 * window whose referral code or coupon names another distributor (rules 2 and 3) sets their sponsor to that
 * distributor, as a move effective from their enrolment, and is then their personal order under that sponsor
 * (rule 1). A link followed before the purchase wins over the company default; an established distributor's own
 * purchase keeps rule 1.
 *
 * Every decision says why in words (`reason`), stored with the order's commission snapshot.
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

export type AttributionSource = "buyer_is_distributor" | "provisional_sponsor_set" | ReferralReference["source"] | "discount_code_mapping" | "web_pixel";

export interface Attribution {
  readonly distributorId: string;
  readonly source: AttributionSource;
  /** The code that matched; null for a buyer who is a distributor (the referrer's code when it set their sponsor). */
  readonly code: string | null;
  /** True for a distributor's personal order: commissions start at their sponsor. */
  readonly chainStartsAboveDistributor: boolean;
  /** When the attributed distributor enrolled: for a buyer who is a distributor, fast-start's window opens here. */
  readonly enrolledAt: Date;
  /** A provisional buyer's new sponsor, to be recorded (as an audited move) before the chain is read. */
  readonly sponsorChange?: SponsorChange;
}

export interface SponsorChange {
  readonly newSponsorId: string;
  readonly newSponsorCode: string;
  /** How the order named them (cart attribute, coupon, ...). */
  readonly via: AttributionSource;
  /**
   * The buyer's enrolment, as the move rules allow: an edge must hold for some time, so the first millisecond
   * after it (or the new sponsor's own enrolment, when they joined later).
   */
  readonly effectiveFrom: Date;
}

export interface AttributionDecision {
  readonly attribution: Attribution | null;
  /** Which rule won and why, naming distributors by code (never personal data). */
  readonly reason: string;
}

export interface AttributionCandidate {
  readonly kind: "buyer" | "code" | "coupon" | "pixel";
  /** The normalized code it was found by (null for the buyer). */
  readonly key: string | null;
  readonly distributorId: string;
  readonly distributorCode: string;
  readonly enrolledAt: Date;
  /** The buyer only: until when their sponsor is provisional (null or absent: settled). */
  readonly provisionalUntil?: Date | null;
  /** The buyer only: their sponsor now (null for a root). */
  readonly sponsorId?: string | null;
}

type CandidateJson = Omit<AttributionCandidate, "enrolledAt" | "provisionalUntil"> & { enrolledAt: string; provisionalUntil?: string | null };

/** Reads the candidates the attribution query returned (a JSON array, dates as ISO strings). */
export function candidatesFromJson(json: unknown): AttributionCandidate[] {
  if (!Array.isArray(json)) return [];
  return (json as CandidateJson[]).map((row) => ({
    ...row,
    enrolledAt: new Date(row.enrolledAt),
    provisionalUntil: row.provisionalUntil ? new Date(row.provisionalUntil) : null,
  }));
}

type OrderForAttribution = { readonly orderedAt: Date; readonly referrals: readonly ReferralReference[] };

/** The rules above, over the candidates found. */
export function chooseAttribution(order: OrderForAttribution, candidates: readonly AttributionCandidate[]): Attribution | null {
  return decideAttribution(order, candidates).attribution;
}

/** The rules above, and why the winner won. */
export function decideAttribution(order: OrderForAttribution, candidates: readonly AttributionCandidate[]): AttributionDecision {
  const enrolled = candidates.filter((candidate) => candidate.enrolledAt.getTime() <= order.orderedAt.getTime());
  const buyer = enrolled.find((candidate) => candidate.kind === "buyer");
  const others = enrolled.filter((candidate) => candidate.kind !== "buyer" && candidate.distributorId !== buyer?.distributorId);

  // The pixel's unsigned report never moves a sponsor: a buyer is judged on what the order itself carries.
  if (buyer) return buyerDecision(order, buyer, referralOf(order, others));
  const referral = referralOf(order, others) ?? pixelReferral(others);
  if (referral) return { attribution: referral.attribution, reason: referral.reason };
  const carried = order.referrals.map((reference) => `${reference.source} ${JSON.stringify(reference.code)}`);
  return {
    attribution: null,
    reason:
      carried.length === 0
        ? "no_match: the buyer is not a distributor and the order carries no referral code or coupon"
        : `no_match: the buyer is not a distributor and no distributor enrolled by the order's time has ${carried.join(", ")}`,
  };
}

interface ReferralMatch {
  readonly attribution: Attribution;
  /** The referrer's own referral code (a mapped coupon's `code` is the coupon). */
  readonly referrerCode: string;
  readonly reason: string;
}

/** Rules 2 and 3: the referral code first, then a mapped coupon, then a coupon equal to a code. */
function referralOf(order: OrderForAttribution, enrolled: readonly AttributionCandidate[]): ReferralMatch | null {
  const find = (kind: "code" | "coupon", key: string | null) =>
    key === null ? undefined : enrolled.find((candidate) => candidate.kind === kind && candidate.key === key);
  for (const reference of order.referrals) {
    if (reference.source === "discount_code") continue;
    const match = find("code", normalizeReferralCode(reference.code));
    if (match) return referredBy(match, reference.source, match.distributorCode, `referral code ${match.distributorCode} from the order's ${reference.source}`);
  }
  for (const reference of order.referrals) {
    if (reference.source !== "discount_code") continue;
    const coupon = normalizeDiscountCode(reference.code);
    const mapped = find("coupon", coupon);
    if (mapped) return referredBy(mapped, "discount_code_mapping", coupon, `coupon ${coupon ?? ""} is mapped to ${mapped.distributorCode}`);
    const match = find("code", normalizeReferralCode(reference.code));
    if (match)
      return referredBy(match, "discount_code", match.distributorCode, `coupon ${reference.code} equals the referral code of ${match.distributorCode}`);
  }
  return null;
}

/** Rule 4: the Web Pixel's report for this order, found by its code. */
function pixelReferral(enrolled: readonly AttributionCandidate[]): ReferralMatch | null {
  const match = enrolled.find((candidate) => candidate.kind === "pixel");
  if (!match) return null;
  return referredBy(
    match,
    "web_pixel",
    match.distributorCode,
    `the Web Pixel reported referral code ${match.distributorCode} at checkout, and the order carries no code or coupon of its own`,
  );
}

function referredBy(candidate: AttributionCandidate, source: AttributionSource, code: string | null, why: string): ReferralMatch {
  return {
    attribution: { distributorId: candidate.distributorId, source, code, chainStartsAboveDistributor: false, enrolledAt: candidate.enrolledAt },
    referrerCode: candidate.distributorCode,
    reason: `${source}: ${why}`,
  };
}

function buyerDecision(order: OrderForAttribution, buyer: AttributionCandidate, referral: ReferralMatch | null): AttributionDecision {
  const own: Attribution = {
    distributorId: buyer.distributorId,
    source: "buyer_is_distributor",
    code: null,
    chainStartsAboveDistributor: true,
    enrolledAt: buyer.enrolledAt,
  };
  const ownPurchase = `buyer_is_distributor: the buyer is distributor ${buyer.distributorCode}; their own purchase pays from their sponsor up`;
  const until = buyer.provisionalUntil ?? null;
  if (until === null) {
    return { attribution: own, reason: referral ? `${ownPurchase} (an established distributor: ${referral.reason} does not count)` : ownPurchase };
  }
  if (order.orderedAt.getTime() > until.getTime()) {
    return { attribution: own, reason: `${ownPurchase} (their provisional sponsor window closed at ${until.toISOString()})` };
  }
  if (!referral) {
    return {
      attribution: own,
      reason: `${ownPurchase} (provisional until ${until.toISOString()}; no referral code or coupon of another distributor on this order)`,
    };
  }
  const newSponsor = referral.attribution;
  if (newSponsor.distributorId === buyer.sponsorId) {
    return { attribution: own, reason: `${ownPurchase} (provisional; ${referral.reason} names their sponsor already)` };
  }
  const effectiveFrom = new Date(Math.max(buyer.enrolledAt.getTime() + 1, newSponsor.enrolledAt.getTime()));
  const newSponsorCode = referral.referrerCode;
  return {
    attribution: {
      ...own,
      source: "provisional_sponsor_set",
      code: newSponsor.code,
      sponsorChange: { newSponsorId: newSponsor.distributorId, newSponsorCode, via: newSponsor.source, effectiveFrom },
    },
    reason:
      `provisional_sponsor_set: the buyer ${buyer.distributorCode} was auto-enrolled without a sponsor code (provisional until ` +
      `${until.toISOString()}); this first referred order (${referral.reason}) makes ${newSponsorCode} their sponsor from ` +
      `${effectiveFrom.toISOString()} and pays from there up`,
  };
}
