/**
 * Refund reversal (pure): the commission lines of the ORIGINAL evaluation are reversed in proportion to how much
 * of each order line's commission base was refunded. Nothing is recomputed from today's tree or plan: the
 * amounts come from the stored evaluation and the bases from its snapshot (same settings, same split).
 *
 * What a refund takes out of a line's base (the base is net, plus the shipping and tax shares when the shop
 * counts them, commission-base.ts):
 *   - a refunded line: its net subtotal, plus its tax when tax is in the base;
 *   - refunded shipping, when shipping is in the base: its fraction of the order's shipping, of the shipping pool
 *     (with shipping's tax when tax counts too), split over the lines exactly as the order's shipping was (by net
 *     amount, largest remainder), so refunding all the shipping takes back all of its share;
 *   - money that names no line nor shipping (`unattributedMinor`: a Shopify refund with only an adjustment and
 *     a transaction, a WooCommerce refund with an amount and no lines): the same fraction of the order's base
 *     as the amount is of what the buyer paid (Σ line nets + tax + shipping). That base is spread over the
 *     lines in proportion to what is still unrefunded of each, and capped by it: it never takes back more
 *     than is left;
 *     Once earlier refunds returned money, the fraction is of what the buyer has not been refunded yet, and it
 *     is spread over what is left of the base: so the refund that returns the rest of the money takes back the
 *     rest of the commission, whatever mix of line, shipping and amount-only refunds came before;
 *   - a cancellation (`remainder`), or an amount that names no line completing all the buyer paid: everything
 *     left of every line.
 *
 * Drift-free by construction: for every commission entry the target "reversed so far" is
 *   round_half_even(original × min(cumulative refunded base, line base) / line base)
 * and this refund reverses target − already reversed. Rounding is monotone, so each step is ≥ 0; the fraction
 * is capped at 1, so the cumulative reversal never exceeds the original; and once a line is fully refunded
 * (in one refund or several) the target is the original itself, so every recipient nets to exactly 0.
 * A line whose base was zero (a free gift paying a fixed amount per unit) reverses by its refunded quantity, or,
 * on a refund with an amount that names no line, by the fraction of the order's money refunded so far when that
 * is larger: an amount-only refund reaches it too.
 */
import { allocateProportionally, divideRoundHalfEven } from "../money";
import type { NormalizedRefund } from "../platforms/normalized";
import { computeCommissionBases, netLineAmount } from "../engine/commission-base";
import { joinKey } from "../engine/entry-key";
import { inputFromSnapshot } from "../engine/snapshot";
import { EngineInputError } from "../engine/errors";
import type { PlanComponentType } from "../engine/plan-schema";
import type { CommissionLine, EvaluationResult } from "../engine/types";

/** What earlier refunds of the order already did. JSON-native, so it can be stored as it is. */
export interface ReversalProgress {
  readonly appliedRefundIds: readonly string[];
  /** Cumulative refunded net subtotal per order line, minor units as a decimal string. */
  readonly refundedSubtotalMinor: Readonly<Record<string, string>>;
  /** Cumulative refunded quantity per order line (decides lines whose net amount was zero). */
  readonly refundedQuantity: Readonly<Record<string, number>>;
  /** Cumulative amount already reversed per commission entry (reversalEntryKey), positive, as a decimal string. */
  readonly reversedMinor: Readonly<Record<string, string>>;
  /**
   * Cumulative refunded commission base per order line (decides the reversed fraction). Absent in progress
   * stored before shipping and unattributed refunds counted; the net subtotal stands in for it then.
   */
  readonly refundedBaseMinor?: Readonly<Record<string, string>>;
  /**
   * Cumulative money returned to the buyer by the refunds so far (line subtotals and tax, shipping, amounts that
   * name no line), as a decimal string. Absent in progress stored before it was kept.
   */
  readonly refundedPaidMinor?: string;
}

export const NOTHING_REVERSED: ReversalProgress = Object.freeze({
  appliedRefundIds: [],
  refundedSubtotalMinor: {},
  refundedQuantity: {},
  reversedMinor: {},
  refundedBaseMinor: {},
  refundedPaidMinor: "0",
});

export type RefundForReversal = Pick<NormalizedRefund, "platformRefundId" | "platformOrderId" | "refundedAt" | "currency" | "lines"> &
  Partial<Pick<NormalizedRefund, "shippingMinor" | "unattributedMinor">> & {
    /** A cancellation: whatever is left of every line is refunded now. */
    readonly remainder?: boolean;
  };

/** Only what was stored with the original evaluation (evaluationFromJson gives it back). */
export type OriginalEvaluation = Pick<EvaluationResult, "orderId" | "currency" | "lines" | "snapshot">;

export interface ReversalInput {
  readonly original: OriginalEvaluation;
  readonly refund: RefundForReversal;
  /** The `progress` returned by the previous reversal of this order, or NOTHING_REVERSED. */
  readonly progress: ReversalProgress;
}

export interface ReversalLine {
  readonly distributorId: string;
  /** Negative: the amount taken back by this refund. */
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly kind: PlanComponentType;
  readonly level: number;
  readonly rule: string;
  readonly orderLineId: string;
  readonly classId: string;
  readonly originalAmountMinor: bigint;
  /** Cumulative reversed for this entry after this refund (positive, ≤ originalAmountMinor). */
  readonly reversedToDateMinor: bigint;
}

export interface RefundedLineSummary {
  readonly orderLineId: string;
  readonly refundedSubtotalMinor: bigint;
  readonly refundedQuantity: number;
  readonly cumulativeRefundedMinor: bigint;
  readonly lineNetMinor: bigint;
  /** The line's commission base, what this refund took out of it, and the total taken so far. */
  readonly lineBaseMinor: bigint;
  readonly refundedBaseMinor: bigint;
  readonly cumulativeRefundedBaseMinor: bigint;
  readonly fullyRefunded: boolean;
}

export type ReversalFlag =
  /** The refund id is already in progress.appliedRefundIds: nothing is reversed twice. */
  | { readonly type: "refund_already_applied" }
  | { readonly type: "unknown_refund_line"; readonly orderLineId: string }
  /** Refunds of this line add up to more than its net amount; the excess reverses nothing. */
  | {
      readonly type: "refund_exceeds_line";
      readonly orderLineId: string;
      readonly cumulativeRefundedMinor: bigint;
      readonly lineNetMinor: bigint;
    };

export interface ReversalResult {
  readonly orderId: string;
  readonly refundId: string;
  readonly refundedAt: string;
  readonly currency: string;
  readonly lines: readonly ReversalLine[];
  readonly refundedLines: readonly RefundedLineSummary[];
  readonly flags: readonly ReversalFlag[];
  /** Progress including this refund: pass it to the next reversal of the order. */
  readonly progress: ReversalProgress;
}

/** Identifies one commission entry across its reversals. */
export function reversalEntryKey(line: Pick<CommissionLine, "rule" | "orderLineId" | "level" | "distributorId">): string {
  return joinKey([line.rule, line.orderLineId, line.level, line.distributorId]);
}

interface RefundedFraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export function reverseForRefund({ original, refund, progress }: ReversalInput): ReversalResult {
  const { snapshot } = original;
  checkRefund(original, refund);
  const empty = { orderId: original.orderId, refundId: refund.platformRefundId, refundedAt: refund.refundedAt };
  if (progress.appliedRefundIds.includes(refund.platformRefundId)) {
    return { ...empty, currency: original.currency, lines: [], refundedLines: [], flags: [{ type: "refund_already_applied" }], progress };
  }

  const flags: ReversalFlag[] = [];
  const refundedSubtotal = { ...progress.refundedSubtotalMinor };
  const refundedQuantity = { ...progress.refundedQuantity };
  const refundedBase: Record<string, string> = { ...progress.refundedSubtotalMinor, ...progress.refundedBaseMinor };
  const { order } = inputFromSnapshot(snapshot);
  const bases = computeCommissionBases(order, snapshot.settings);
  const baseBefore = bases.map((base) => BigInt(refundedBase[base.orderLineId] ?? "0"));
  const taken = bases.map(() => 0n);
  const byLine = new Map(bases.map((base, index) => [base.orderLineId, index]));

  const itemised = sumRefundLines(refund);
  for (const [orderLineId, refunded] of itemised) {
    const index = byLine.get(orderLineId);
    if (index === undefined) {
      flags.push({ type: "unknown_refund_line", orderLineId });
      continue;
    }
    const lineNetMinor = bases[index]!.netMinor;
    const cumulativeRefundedMinor = BigInt(refundedSubtotal[orderLineId] ?? "0") + refunded.subtotalMinor;
    refundedSubtotal[orderLineId] = cumulativeRefundedMinor.toString();
    refundedQuantity[orderLineId] = (refundedQuantity[orderLineId] ?? 0) + refunded.quantity;
    if (lineNetMinor > 0n && cumulativeRefundedMinor > lineNetMinor) {
      flags.push({ type: "refund_exceeds_line", orderLineId, cumulativeRefundedMinor, lineNetMinor });
    }
    taken[index]! += refunded.subtotalMinor + (snapshot.settings.includeTax ? refunded.taxMinor : 0n);
  }
  const weights = bases.map((base) => (base.netMinor > 0n ? base.netMinor : 0n));
  if (snapshot.settings.includeShipping && (refund.shippingMinor ?? 0n) > 0n) {
    // The shipping pool may carry shipping's tax (tax in the base too): refunding all the shipping gives it all back.
    const pool = bases.reduce((sum, base) => sum + base.shippingShareMinor, 0n);
    const share = order.shippingMinor > 0n ? divideRoundHalfEven(refund.shippingMinor! * pool, order.shippingMinor) : refund.shippingMinor!;
    allocateProportionally(share < pool ? share : pool, weights).forEach((part, index) => (taken[index]! += part));
  }
  const left = () => bases.map((base, index) => maxZero(base.baseMinor - baseBefore[index]! - taken[index]!));
  const paid = weights.reduce((sum, weight) => sum + weight, 0n) + order.taxMinor + order.shippingMinor;
  const paidBefore = progress.refundedPaidMinor === undefined ? null : BigInt(progress.refundedPaidMinor);
  const unattributed = refund.unattributedMinor ?? 0n;
  // Money for lines counts up to what each line was paid (an over-refund of one line returns nothing of another).
  let itemisedPaid = refund.shippingMinor ?? 0n;
  for (const [orderLineId, refunded] of itemised) {
    const index = byLine.get(orderLineId);
    if (index === undefined) continue;
    const line = order.lines[index]!;
    const before = BigInt(progress.refundedSubtotalMinor[orderLineId] ?? "0");
    const room = maxZero(maxZero(bases[index]!.netMinor) + line.taxMinor - before);
    const money = refunded.subtotalMinor + refunded.taxMinor;
    itemisedPaid += money < room ? money : room;
  }
  if (unattributed > 0n) {
    const wholeBase = bases.reduce((sum, base) => sum + base.baseMinor, 0n);
    const remaining = left();
    const stillLeft = remaining.reduce((sum, rest) => sum + rest, 0n);
    // The amount's fraction of what is still unrefunded, of the base still left (progress from before this was
    // kept: of the whole order, as it was then).
    const unrefunded = paidBefore === null ? paid : paid - paidBefore - itemisedPaid;
    const share =
      paidBefore === null
        ? paid > 0n
          ? divideRoundHalfEven(unattributed * wholeBase, paid)
          : 0n
        : unrefunded > 0n
          ? divideRoundHalfEven(unattributed * stillLeft, unrefunded)
          : stillLeft;
    allocateProportionally(share < stillLeft ? share : stillLeft, remaining).forEach((part, index) => (taken[index]! += part));
  }
  const refundedPaid = (paidBefore ?? 0n) + itemisedPaid + unattributed;
  // An amount that names no line completes the money the buyer paid (known only with progress that counts
  // money): nothing may be left. Refunds that name their lines decide by line (a free item kept stays paid).
  const wholeOrderRefunded = refund.remainder === true || (unattributed > 0n && paidBefore !== null && paid > 0n && refundedPaid >= paid);
  if (wholeOrderRefunded) {
    left().forEach((rest, index) => (taken[index]! += rest));
    for (const line of order.lines) {
      const net = netLineAmount(line);
      if (net > BigInt(refundedSubtotal[line.platformLineId] ?? "0")) refundedSubtotal[line.platformLineId] = net.toString();
      refundedQuantity[line.platformLineId] = Math.max(line.quantity, refundedQuantity[line.platformLineId] ?? 0);
    }
  }
  // Zero-base lines follow the money refunded when that is ahead of their quantity.
  const paidFraction = unattributed > 0n && paid > 0n && paidBefore !== null ? capAtOne(refundedPaid, paid) : null;

  const refundedLines: RefundedLineSummary[] = [];
  const fractions = new Map<string, RefundedFraction>();
  bases.forEach((base, index) => {
    const orderLineId = base.orderLineId;
    const refunded = itemised.get(orderLineId);
    const quantity = order.lines[index]!.quantity;
    const zeroBaseByMoney = base.baseMinor <= 0n && quantity > 0 && unattributed > 0n && paidFraction !== null;
    if (taken[index]! <= 0n && !refunded && !wholeOrderRefunded && !zeroBaseByMoney) return;
    const cumulativeBase = baseBefore[index]! + taken[index]!;
    refundedBase[orderLineId] = cumulativeBase.toString();
    const fraction =
      base.baseMinor > 0n
        ? capAtOne(cumulativeBase, base.baseMinor)
        : wholeOrderRefunded || quantity <= 0
          ? { numerator: 1n, denominator: 1n }
          : larger(capAtOne(BigInt(refundedQuantity[orderLineId] ?? 0), BigInt(quantity)), paidFraction);
    fractions.set(orderLineId, fraction);
    refundedLines.push({
      orderLineId,
      refundedSubtotalMinor: refunded?.subtotalMinor ?? 0n,
      refundedQuantity: refunded?.quantity ?? 0,
      cumulativeRefundedMinor: BigInt(refundedSubtotal[orderLineId] ?? "0"),
      lineNetMinor: base.netMinor,
      lineBaseMinor: base.baseMinor,
      refundedBaseMinor: taken[index]!,
      cumulativeRefundedBaseMinor: cumulativeBase,
      fullyRefunded: fraction.numerator === fraction.denominator,
    });
  });

  const reversed = { ...progress.reversedMinor };
  const lines: ReversalLine[] = [];
  for (const line of original.lines) {
    const fraction = fractions.get(line.orderLineId);
    if (!fraction) continue;
    const key = reversalEntryKey(line);
    const alreadyReversed = BigInt(reversed[key] ?? "0");
    // The proportional share of an already-rounded amount needs a whole number of minor units too: same rule.
    const target = divideRoundHalfEven(line.amountMinor * fraction.numerator, fraction.denominator);
    const delta = target - alreadyReversed;
    if (delta <= 0n) continue;
    reversed[key] = target.toString();
    lines.push({
      distributorId: line.distributorId,
      amountMinor: -delta,
      currency: line.currency,
      kind: line.kind,
      level: line.level,
      rule: line.rule,
      orderLineId: line.orderLineId,
      classId: line.classId,
      originalAmountMinor: line.amountMinor,
      reversedToDateMinor: target,
    });
  }

  return {
    ...empty,
    currency: original.currency,
    lines,
    refundedLines,
    flags,
    progress: {
      appliedRefundIds: [...progress.appliedRefundIds, refund.platformRefundId],
      refundedSubtotalMinor: sortedRecord(refundedSubtotal),
      refundedQuantity: sortedRecord(refundedQuantity),
      reversedMinor: sortedRecord(reversed),
      refundedBaseMinor: sortedRecord(refundedBase),
      refundedPaidMinor: refundedPaid.toString(),
    },
  };
}

function maxZero(value: bigint): bigint {
  return value > 0n ? value : 0n;
}

function checkRefund(original: OriginalEvaluation, refund: RefundForReversal): void {
  if (refund.currency.toUpperCase() !== original.currency) {
    throw new EngineInputError("refund.currency", `${refund.currency} differs from the order's ${original.currency}`);
  }
  if ((refund.shippingMinor ?? 0n) < 0n) throw new EngineInputError("refund.shippingMinor", "must be ≥ 0");
  if ((refund.unattributedMinor ?? 0n) < 0n) throw new EngineInputError("refund.unattributedMinor", "must be ≥ 0");
  if (refund.platformOrderId !== original.snapshot.order.platformOrderId) {
    throw new EngineInputError("refund.platformOrderId", `belongs to order ${refund.platformOrderId}, not ${original.snapshot.order.platformOrderId}`);
  }
  refund.lines.forEach((line, index) => {
    if (line.subtotalMinor < 0n) throw new EngineInputError(`refund.lines[${index}].subtotalMinor`, "must be ≥ 0");
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 0) {
      throw new EngineInputError(`refund.lines[${index}].quantity`, `${line.quantity} is not a whole number ≥ 0`);
    }
  });
}

/** A refund may list one order line more than once (e.g. two restock locations); they add up. */
function sumRefundLines(refund: RefundForReversal): Map<string, { subtotalMinor: bigint; taxMinor: bigint; quantity: number }> {
  const sums = new Map<string, { subtotalMinor: bigint; taxMinor: bigint; quantity: number }>();
  for (const line of refund.lines) {
    const sum = sums.get(line.platformLineId);
    sums.set(line.platformLineId, {
      subtotalMinor: (sum?.subtotalMinor ?? 0n) + line.subtotalMinor,
      taxMinor: (sum?.taxMinor ?? 0n) + line.taxMinor,
      quantity: (sum?.quantity ?? 0) + line.quantity,
    });
  }
  return sums;
}

function larger(a: RefundedFraction, b: RefundedFraction | null): RefundedFraction {
  return b !== null && b.numerator * a.denominator > a.numerator * b.denominator ? b : a;
}

function capAtOne(numerator: bigint, denominator: bigint): RefundedFraction {
  return { numerator: numerator < denominator ? numerator : denominator, denominator };
}

// Sorted keys make the stored progress byte-identical however the refunds touched it.
function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  const sorted: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key]!;
  return sorted;
}
