/**
 * The one shape every platform's payload becomes. Everything after normalization (attribution, engine,
 * ledger) sees only these types, so Shopify, WooCommerce, Magento and the REST seed API share one path.
 *
 * Ids are strings: Shopify ids exceed Number.MAX_SAFE_INTEGER. Amounts are bigint minor units of `currency`.
 * Timestamps are ISO 8601 strings in UTC so a normalized record serializes to JSON unchanged.
 */
import { FieldInputError } from "../field-input-error";

export const PLATFORMS = ["shopify", "woocommerce", "magento", "api"] as const;
export type Platform = (typeof PLATFORMS)[number];

export type OrderStatus = "paid" | "pending" | "cancelled" | "refunded" | "partially_refunded";

/** Where the distributor reference on an order came from, most specific first. */
export type ReferralSource = "cart_attribute" | "meta_data" | "extension_attribute" | "discount_code" | "api";

export interface ReferralReference {
  readonly code: string;
  readonly source: ReferralSource;
}

export interface NormalizedLine {
  /** The platform's id for this line; refunds point back at it. */
  readonly platformLineId: string;
  readonly sku: string | null;
  readonly platformProductId: string | null;
  readonly platformVariantId: string | null;
  readonly title: string;
  readonly quantity: number;
  /** Price of one unit before discounts, excluding tax (taxes-included prices are split by the normalizer). */
  readonly unitPriceMinor: bigint;
  /** Every discount that lands on this line: line-level discounts plus its share of order-level ones. */
  readonly discountMinor: bigint;
  readonly taxMinor: bigint;
}

export interface NormalizedCustomerRef {
  readonly platformCustomerId: string | null;
  readonly email: string | null;
}

export interface NormalizedOrder {
  readonly kind: "order";
  readonly platform: Platform;
  readonly platformOrderId: string;
  /** The number a merchant sees (#1001), when the platform has one. */
  readonly orderNumber: string | null;
  /** When the order was placed: commissions use the plan and genealogy in force at this instant. */
  readonly orderedAt: string;
  /** When the platform last changed it; later updates win over earlier ones. */
  readonly updatedAt: string;
  readonly status: OrderStatus;
  readonly currency: string;
  readonly customer: NormalizedCustomerRef;
  /** References found on the order, in priority order (cart attribute before discount code). */
  readonly referrals: readonly ReferralReference[];
  readonly discountCodes: readonly string[];
  readonly lines: readonly NormalizedLine[];
  readonly shippingMinor: bigint;
  readonly taxMinor: bigint;
  readonly totalMinor: bigint;
  /** Shopify `taxes_included`: whether the prices paid included tax (its refunds' subtotals then do too). */
  readonly taxesIncluded?: boolean;
  /**
   * Refunds the order payload carries itself (Shopify `refunds[]`, WooCommerce refund totals): recorded under
   * their own refund ids, so the same refund arriving on its own later is a no-op. Absent when there are none.
   */
  readonly refunds?: readonly NormalizedRefund[];
}

export interface NormalizedRefundLine {
  /** The refunded order line (NormalizedLine.platformLineId). */
  readonly platformLineId: string;
  readonly quantity: number;
  /** Net amount refunded for this line, excluding tax. */
  readonly subtotalMinor: bigint;
  readonly taxMinor: bigint;
}

export interface NormalizedRefund {
  readonly kind: "refund";
  readonly platform: Platform;
  readonly platformRefundId: string;
  readonly platformOrderId: string;
  readonly refundedAt: string;
  readonly currency: string;
  readonly lines: readonly NormalizedRefundLine[];
  readonly shippingMinor: bigint;
  /** Money returned to the buyer in all (lines, tax, shipping, adjustments). */
  readonly totalMinor: bigint;
  /**
   * Money returned that names no line nor shipping (an amount-only refund, an adjustment): reversed in
   * proportion to the order (app/domain/engine/reversal.ts). Absent means 0.
   */
  readonly unattributedMinor?: bigint;
  /** Whether the line subtotals above had the order's included tax taken out; absent when it was not known. */
  readonly taxesIncluded?: boolean;
}

export interface NormalizedCustomer {
  readonly kind: "customer";
  readonly platform: Platform;
  readonly platformCustomerId: string;
  readonly email: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  /** A referral code the customer signed up with, if any. */
  readonly referralCode: string | null;
  readonly createdAt: string;
}

export type NormalizedEvent = NormalizedOrder | NormalizedRefund | NormalizedCustomer;

/** A payload that could not be normalized; `field` is the path of the first missing or malformed field. */
export class NormalizationError extends FieldInputError {
  override name = "NormalizationError";
}
