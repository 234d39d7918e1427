/**
 * The period close's input and output shapes (the contract is described in close.ts). Amounts are bigint
 * minor units of `currency`; volumes are bigint hundredths of a point (the engine's VOLUME_SCALE), like the
 * PeriodVolume and BinaryLegVolume tables. Ids are strings.
 */
import type { CurrencyCode } from "../money";
import type { DistributorStatus, PlanComponentType, PlanVersionRef } from "../engine";
import type { CurrencyAmount, PayoutDecisionKind } from "./payout-netting";

export type BinarySide = "left" | "right";

/** One period of one schedule: [start, end), UTC. `key` is unique per shop and schedule ("2026-03", "2026-W10"). */
export interface PeriodRef {
  readonly key: string;
  readonly schedule: "weekly" | "monthly";
  readonly start: string;
  readonly end: string;
}

/** A distributor as of the period's end: the two trees and their status (Distributor, SponsorEdge, PlacementEdge). */
export interface PeriodDistributor {
  readonly distributorId: string;
  /** The enroller (sponsor tree); null for a root. */
  readonly sponsorId: string | null;
  /** The binary placement slot; null when not placed (or the plan has no binary). */
  readonly placement: { readonly parentId: string; readonly side: BinarySide } | null;
  readonly status: DistributorStatus;
  /** The shop's company node (Distributor.isCompanyNode): the root, never paid (company-node.ts). Absent: false. */
  readonly company?: boolean;
}

/** Volume the period's orders added for one distributor (a PeriodVolume row). */
export interface PersonalVolume {
  readonly distributorId: string;
  readonly pvHundredths: bigint;
  readonly cvHundredths: bigint;
}

/**
 * Volume taken back by refunds recorded in this period, positive hundredths. `originPeriodKey` is the period
 * the refunded order's volume was counted in: the current period's key reduces this period's volume (and so
 * every leg it flows into) by exactly this much; an earlier period's key reduces the binary carry lot of that
 * period in every placement upline's leg (what is left of it: paired volume cannot be taken back).
 */
export interface VolumeAdjustment {
  readonly distributorId: string;
  readonly originPeriodKey: string;
  readonly pvHundredths: bigint;
  readonly cvHundredths: bigint;
}

/** Volume of one period still unpaired in one leg. Lots are kept oldest first and consumed oldest first. */
export interface CarryLot {
  readonly periodKey: string;
  readonly hundredths: bigint;
}

/** A distributor's binary state between closes, per binary component: the previous close's `carry.binary`. */
export interface BinaryCarryState {
  readonly rule: string;
  readonly distributorId: string;
  readonly left: readonly CarryLot[];
  readonly right: readonly CarryLot[];
  /** Whether they were ever paid a pair (the first pair may need 1:2 or 2:1). */
  readonly hasPaired: boolean;
}

/** What a distributor earned in the period from per-order components (net of reversals), per rule. */
export interface PeriodEarning {
  readonly distributorId: string;
  readonly rule: string;
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
}

export interface PreviousRank {
  readonly distributorId: string;
  /** The highest rank ever achieved before this period (DistributorRankPeriod.achievedRank), null if none. */
  readonly highestRank: string | null;
}

/**
 * The balance a close's payout decision carried to the next close of the same schedule (payout-netting.ts): a
 * payable below the minimum payout (> 0), or a debt (< 0) that the next earnings work off before anything is paid.
 */
export interface DeferredPayout {
  readonly distributorId: string;
  readonly amountMinor: bigint;
}

export interface PeriodCloseInput {
  readonly period: PeriodRef;
  readonly planVersion: PlanVersionRef;
  readonly currency: CurrencyCode;
  readonly distributors: readonly PeriodDistributor[];
  readonly volumes: readonly PersonalVolume[];
  readonly volumeAdjustments: readonly VolumeAdjustment[];
  readonly binaryCarry: readonly BinaryCarryState[];
  readonly earnings: readonly PeriodEarning[];
  readonly previousRanks: readonly PreviousRank[];
  readonly deferredPayouts: readonly DeferredPayout[];
  /**
   * Per-order commissions taken back in this period from orders of EARLIER periods (amounts < 0), per recipient:
   * an earlier decision counted them, so this period's decision nets them (payout-netting.ts). Absent: none.
   */
  readonly clawbacks?: readonly CurrencyAmount[];
  /** The period's commissionable sales (sum of order bases), needed only when the plan sets maxPayoutPercent. */
  readonly salesBaseMinor?: bigint;
}

export type PeriodLineDetail =
  | { readonly type: "binary"; readonly pairs: number; readonly pairedHundredths: bigint; readonly earnedMinor: bigint }
  | {
      readonly type: "matching";
      readonly sourceDistributorId: string;
      readonly generation: number;
      readonly basisMinor: bigint;
      readonly percent: string;
    }
  | { readonly type: "rank_advancement"; readonly rank: string }
  /** The plan's paycut (paycut.ts): what the recipient earned in the period before the cut, and the cap. */
  | { readonly type: "paycut"; readonly maxPercent: string; readonly earnedMinor: bigint; readonly salesBaseMinor: bigint };

/** One amount earned at the close. Always > 0, but for a paycut (kind "paycut"), which is < 0. */
export interface PeriodLine {
  readonly distributorId: string;
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
  readonly kind: PlanComponentType | "paycut";
  readonly rule: string;
  readonly detail: PeriodLineDetail;
}

export type PeriodBreakageReason = "cap" | "not_active" | "not_qualified" | "no_upline" | "payout_share" | "company_node";

export interface PeriodBreakage {
  readonly rule: string;
  readonly kind: PeriodLine["kind"];
  /** Who would have been paid, when someone held the place. */
  readonly distributorId: string | null;
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
  readonly reason: PeriodBreakageReason;
}

/** The rank result of one distributor for one period (a DistributorRankPeriod row). */
export interface RankResult {
  readonly distributorId: string;
  /** The highest rank qualified for in this period: what they are paid as. */
  readonly paidAsRank: string | null;
  /** The highest rank ever achieved, this period included. Never goes down. */
  readonly achievedRank: string | null;
  readonly previousHighestRank: string | null;
  readonly personalHundredths: bigint;
  readonly groupHundredths: bigint;
  /** Group volume counted for the paid-as rank after its leg cap (the group volume when unranked). */
  readonly qualifyingGroupHundredths: bigint;
  readonly activeLegs: number;
}

/** The binary result of one distributor for one period (a BinaryLegVolume row plus what was paired). */
export interface BinaryResult {
  readonly rule: string;
  readonly distributorId: string;
  /** Volume that entered each leg this period, after this period's refunds. */
  readonly leftHundredths: bigint;
  readonly rightHundredths: bigint;
  readonly carriedInLeft: bigint;
  readonly carriedInRight: bigint;
  readonly pairs: number;
  readonly consumedLeft: bigint;
  readonly consumedRight: bigint;
  readonly earnedMinor: bigint;
  readonly paidMinor: bigint;
  readonly carryOut: BinaryCarryState;
}

/** One distributor's payout decision at this close, in the close's currency (the rule: payout-netting.ts). */
export interface PayoutDecision {
  readonly distributorId: string;
  /** The balance brought forward: the previous decision's carry (deferred or debt) plus this period's clawbacks. */
  readonly carriedInMinor: bigint;
  /** Per-order earnings (net of the period's own refunds) + this close's lines. */
  readonly earnedMinor: bigint;
  /** carriedIn + earned. */
  readonly payableMinor: bigint;
  /**
   * "pay": at or above the minimum payout, paid in full. "defer": above zero but below the minimum, carried.
   * "carry_debt": zero or below, nothing paid, the debt carried to the next close of the schedule.
   */
  readonly decision: PayoutDecisionKind;
  readonly paidMinor: bigint;
  readonly carriedOutMinor: bigint;
}

export type PeriodFlag =
  | {
      /** A late refund took back more than the carry lot of its period still held in this leg: that part was already paired. */
      readonly type: "adjustment_exceeds_carry";
      readonly rule: string;
      readonly distributorId: string;
      readonly side: BinarySide;
      readonly originPeriodKey: string;
      readonly unreversedHundredths: bigint;
    }
  | { readonly type: "currency_mismatch"; readonly rule: string; readonly currency: CurrencyCode }
  | { readonly type: "unknown_distributor"; readonly field: string; readonly distributorId: string }
  | { readonly type: "sales_base_missing" }
  /** A stored genealogy link this close could not trust (trees.ts): cut for the close, reported, never blocking it. */
  | {
      readonly type: "genealogy_link_cut";
      readonly distributorId: string;
      readonly tree: "sponsor" | "placement";
      readonly problem: "parent_not_in_tree" | "slot_taken" | "loop" | "duplicate";
      readonly detail: string;
    };

/** One ledger transaction to post: all lines of one (period, rule, recipient), with its deterministic key. */
export interface PeriodLineTotal {
  readonly idempotencyKey: string;
  readonly rule: string;
  readonly kind: PeriodLine["kind"];
  readonly distributorId: string;
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
}

export interface PeriodCloseResult {
  readonly period: PeriodRef;
  readonly planVersionId: string;
  readonly currency: CurrencyCode;
  /** Ordered by component (plan order), then recipient, then source. */
  readonly lines: readonly PeriodLine[];
  /** `lines` summed per (rule, recipient), each with its idempotency key: what the ledger posts. */
  readonly totals: readonly PeriodLineTotal[];
  readonly breakage: readonly PeriodBreakage[];
  readonly ranks: readonly RankResult[];
  readonly binary: readonly BinaryResult[];
  readonly payouts: readonly PayoutDecision[];
  /** What the next close of this schedule takes as `binaryCarry` and `deferredPayouts`. */
  readonly carry: { readonly binary: readonly BinaryCarryState[]; readonly deferredPayouts: readonly DeferredPayout[] };
  readonly flags: readonly PeriodFlag[];
  /** Every input of this close, JSON-ready (bigints as strings): closePeriod(periodInputFromSnapshot(s)) replays it. */
  readonly snapshot: PeriodSnapshot;
}

export const PERIOD_SNAPSHOT_FORMAT = "upline.period/1";

export interface PeriodSnapshot {
  readonly format: typeof PERIOD_SNAPSHOT_FORMAT;
  /** The input with every bigint written as a decimal string. */
  readonly input: unknown;
}
