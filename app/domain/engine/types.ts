/**
 * The engine's input and output shapes. Amounts are bigint minor units of the order currency; ids are strings.
 */
import type { CurrencyCode, RoundingMode } from "../money";
import type { NormalizedLine, NormalizedOrder } from "../platforms/normalized";
import type { CommissionCatalog } from "./classes";
import type { PlanComponentType, PlanRules, Rate } from "./plan-schema";
import type { EvaluationSnapshot } from "./snapshot";

/** The parts of a normalized line the engine reads (a NormalizedLine fits as is). */
export type EngineOrderLine = Pick<
  NormalizedLine,
  "platformLineId" | "sku" | "platformVariantId" | "quantity" | "unitPriceMinor" | "discountMinor" | "taxMinor"
>;

/**
 * The parts of a normalized order the engine reads, plus our internal order id. `{ ...normalized, orderId }` fits.
 * Customer details are deliberately absent: they are not needed to pay anyone and must not end up in snapshots.
 */
export interface EngineOrder extends Pick<NormalizedOrder, "platform" | "platformOrderId" | "orderedAt" | "currency" | "shippingMinor" | "taxMinor"> {
  readonly orderId: string;
  readonly lines: readonly EngineOrderLine[];
}

export type DistributorStatus = "active" | "inactive" | "terminated";

/** One distributor on the upline chain, as of the order's timestamp. */
export interface UplineNode {
  readonly distributorId: string;
  readonly status: DistributorStatus;
  /**
   * Paid-as rank in force at order time (the last closed period's paidAsRank), read by rank-based unilevel
   * depth and differential unilevel. Absent or null: unranked.
   */
  readonly rank?: string | null;
  /** Absolute depth in the sponsor tree (the root is 0). It strictly decreases along the chain. */
  readonly sponsorDepth: number;
  /** The shop's company node (the root of the trees): never paid, what it would get is breakage (company-node.ts). */
  readonly company?: boolean;
}

/** One distributor on the PLACEMENT chain (binary / matrix tree), as of the order's timestamp. */
export interface PlacementUplineNode {
  readonly distributorId: string;
  readonly status: DistributorStatus;
  /** Absolute depth in the placement tree (the root is 0). It strictly decreases along the chain. */
  readonly placementDepth: number;
  /** The shop's company node: never paid (company-node.ts). */
  readonly company?: boolean;
}

/** The buyer, when the buyer is a distributor (their own purchase): what fast-start needs to know. */
export interface BuyerDistributor {
  readonly distributorId: string;
  /** ISO 8601 instant of their enrollment: the fast-start window starts here. */
  readonly enrolledAt: string;
}

/** Per-shop choices about what counts toward the commission base. */
export interface ShopCommissionSettings {
  /** Add each line's share of shipping (split by net amount) to its base. */
  readonly includeShipping: boolean;
  /** Add each line's own tax (and, with shipping, the tax on shipping) to its base. */
  readonly includeTax: boolean;
}

export interface PlanVersionRef {
  readonly id: string;
  readonly version: number;
  /** Validated rules (parsePlanRules); treated as immutable. */
  readonly rules: PlanRules;
}

export interface EvaluationInput {
  readonly order: EngineOrder;
  readonly planVersion: PlanVersionRef;
  readonly catalog: CommissionCatalog;
  /**
   * The chain from the buyer's attributed distributor (the referrer who made the sale, index 0) upward, as of
   * the order's timestamp. Long enough to fill every level after compression, or up to the root.
   * Empty when the order has no attributed distributor: then every level is breakage.
   */
  readonly upline: readonly UplineNode[];
  readonly settings: ShopCommissionSettings;
  /**
   * The placement chain, read by forced-matrix components, with the same start as `upline`: index 0 is the
   * attributed distributor, or, when the buyer is a distributor, the buyer's placement parent. Optional: a
   * plan without a matrix never reads it, and a stored snapshot without it replays unchanged.
   */
  readonly placementUpline?: readonly PlacementUplineNode[];
  /** Set when the buyer is a distributor (then `upline` starts at their sponsor); fast-start reads it. */
  readonly buyer?: BuyerDistributor | null;
}

/** One order line as the engine saw it: its class, its money base and its volumes. */
export interface EvaluatedLine {
  /** The platform's line id (NormalizedLine.platformLineId): unique within the order, and what refunds point at. */
  readonly orderLineId: string;
  readonly sku: string | null;
  readonly platformVariantId: string | null;
  readonly quantity: number;
  readonly classId: string;
  readonly classMatchedBy: "variant" | "sku" | "default";
  /** unit price × quantity − discounts. */
  readonly netMinor: bigint;
  readonly shippingShareMinor: bigint;
  readonly taxShareMinor: bigint;
  /** What percentage rates apply to: net, plus shipping and tax where the shop includes them. */
  readonly baseMinor: bigint;
  /** Volumes in hundredths of a point (VOLUME_SCALE), rounded once. */
  readonly pvHundredths: bigint;
  readonly cvHundredths: bigint;
}

export interface CommissionLine {
  readonly distributorId: string;
  /** Always > 0: an award that rounds to zero is not written. */
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
  /** The plan component type that produced it. */
  readonly kind: PlanComponentType;
  /** The level paid (1 = the attributed distributor, or the first active upline after compression). */
  readonly level: number;
  /** The plan component id. */
  readonly rule: string;
  readonly orderLineId: string;
  readonly classId: string;
  readonly basisMinor: bigint;
  readonly rate: Rate;
}

export type BreakageReason =
  /** The chain ended before this level (or there is no attributed distributor). */
  | "no_upline"
  /** Without compression, the upline holding this level is not active. */
  | "not_active"
  /** The holder's paid-as rank does not reach this level (rank-based depth). */
  | "not_qualified"
  /** The holder is the shop's company node, the root of the trees: the company keeps it. */
  | "company_node";

/** What the plan would have paid but nobody qualified for: it stays with the company and is only reported. */
export interface BreakageLine {
  readonly rule: string;
  readonly kind: PlanComponentType;
  readonly level: number;
  readonly orderLineId: string;
  readonly classId: string;
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
  readonly basisMinor: bigint;
  readonly rate: Rate;
  readonly reason: BreakageReason;
  /** The upline who held the level but was not active (compression "none"), else null. */
  readonly distributorId: string | null;
}

export type EvaluationFlag =
  | {
      readonly type: "unmapped_sku";
      readonly orderLineId: string;
      readonly sku: string | null;
      readonly platformVariantId: string | null;
      /** The default class used instead. */
      readonly classId: string;
    }
  | { readonly type: "no_attributed_distributor" }
  | { readonly type: "negative_net_amount"; readonly orderLineId: string; readonly netMinor: bigint }
  | {
      /** A fixed-per-unit rate in another currency than the order: nothing is paid for that level. */
      readonly type: "rate_currency_mismatch";
      readonly rule: string;
      readonly orderLineId: string;
      readonly level: number;
      readonly rateCurrency: CurrencyCode;
    }
  /** The plan has a forced matrix but the input carries no placement chain: every matrix level is breakage. */
  | { readonly type: "no_placement_upline"; readonly rule: string };

/** What one component did, beyond its lines: enough to explain every level to a distributor. */
export interface UnilevelComponentSnapshot {
  readonly type: "unilevel";
  readonly rule: string;
  readonly compression: "dynamic" | "none";
  /** Who held each level, in level order; null where the chain ran out. */
  readonly levels: readonly { readonly level: number; readonly distributorId: string | null; readonly paid: boolean }[];
  /** Uplines passed over by dynamic compression (not active), in chain order. */
  readonly compressed: readonly string[];
}

/** The same level view over the placement chain. */
export interface MatrixComponentSnapshot extends Omit<UnilevelComponentSnapshot, "type"> {
  readonly type: "matrix";
}

export interface FastStartComponentSnapshot extends Omit<UnilevelComponentSnapshot, "type"> {
  readonly type: "fast_start";
  /** The recruit whose order this is, and the window [enrolledAt, endsAt) their orders pay in; null: no buyer. */
  readonly window: { readonly recruitId: string; readonly enrolledAt: string; readonly endsAt: string; readonly inWindow: boolean } | null;
}

export type ComponentSnapshot = UnilevelComponentSnapshot | MatrixComponentSnapshot | FastStartComponentSnapshot;

export interface EvaluationTotals {
  readonly baseMinor: bigint;
  readonly paidMinor: bigint;
  readonly breakageMinor: bigint;
  readonly pvHundredths: bigint;
  readonly cvHundredths: bigint;
}

export interface EvaluationResult {
  readonly orderId: string;
  readonly currency: CurrencyCode;
  readonly planVersionId: string;
  readonly orderLines: readonly EvaluatedLine[];
  /** Ordered by component, then order line, then level. */
  readonly lines: readonly CommissionLine[];
  readonly breakage: readonly BreakageLine[];
  readonly flags: readonly EvaluationFlag[];
  readonly components: readonly ComponentSnapshot[];
  readonly totals: EvaluationTotals;
  /** Every input needed to replay this evaluation, JSON-ready (bigints as strings). */
  readonly snapshot: EvaluationSnapshot;
}

/** What every plan component sees: the order as evaluated lines and the upline, all as of the order's timestamp. */
export interface ComponentContext {
  readonly orderId: string;
  readonly currency: CurrencyCode;
  readonly at: string;
  readonly lines: readonly EvaluatedLine[];
  readonly upline: readonly UplineNode[];
  readonly placementUpline: readonly PlacementUplineNode[] | undefined;
  readonly buyer: BuyerDistributor | null;
  /** The plan's rounding mode for awards (plan rules `rounding`, half-even when the plan has none). */
  readonly rounding: RoundingMode;
}

/** A component is a pure function (component rules, context as of a time) → ComponentOutput. */
export interface ComponentOutput {
  readonly lines: CommissionLine[];
  readonly breakage: BreakageLine[];
  readonly flags: EvaluationFlag[];
  readonly snapshot: ComponentSnapshot;
}
