/**
 * Refund reversal (pure): the commission lines of the ORIGINAL evaluation are reversed in proportion to what
 * was refunded on each order line. Nothing is recomputed from today's tree or plan: the amounts come from the
 * stored evaluation and the line amounts from its snapshot.
 *
 * Drift-free by construction: for every commission entry the target "reversed so far" is
 *   round_half_even(original × cumulative refunded / line net)
 * and this refund reverses target − already reversed. Rounding is monotone, so each step is ≥ 0; the fraction
 * is capped at 1, so the cumulative reversal never exceeds the original; and once a line is fully refunded
 * (in one refund or several) the target is the original itself, so every recipient nets to exactly 0.
 *
 * The proportion is by net subtotal (unit price × quantity − discount, the figure refunds report without tax).
 * A line whose net amount was zero reverses by quantity instead. Refunded shipping alone reverses nothing.
 */
import { divideRoundHalfEven } from "../money";
import type { NormalizedRefund } from "../platforms/normalized";
import { netLineAmount } from "../engine/commission-base";
import { joinKey } from "../engine/entry-key";
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
}

export const NOTHING_REVERSED: ReversalProgress = Object.freeze({
  appliedRefundIds: [],
  refundedSubtotalMinor: {},
  refundedQuantity: {},
  reversedMinor: {},
});

export type RefundForReversal = Pick<
  NormalizedRefund,
  "platformRefundId" | "platformOrderId" | "refundedAt" | "currency" | "lines"
>;

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
  const refundedLines: RefundedLineSummary[] = [];
  const fractions = new Map<string, RefundedFraction>();

  for (const [orderLineId, refunded] of sumRefundLines(refund)) {
    const orderLine = snapshot.order.lines.find((line) => line.platformLineId === orderLineId);
    if (!orderLine) {
      flags.push({ type: "unknown_refund_line", orderLineId });
      continue;
    }
    const lineNetMinor = netLineAmount({
      ...orderLine,
      unitPriceMinor: BigInt(orderLine.unitPriceMinor),
      discountMinor: BigInt(orderLine.discountMinor),
      taxMinor: BigInt(orderLine.taxMinor),
    });
    const cumulativeRefundedMinor = BigInt(refundedSubtotal[orderLineId] ?? "0") + refunded.subtotalMinor;
    const cumulativeQuantity = (refundedQuantity[orderLineId] ?? 0) + refunded.quantity;
    refundedSubtotal[orderLineId] = cumulativeRefundedMinor.toString();
    refundedQuantity[orderLineId] = cumulativeQuantity;

    const fraction =
      lineNetMinor > 0n
        ? capAtOne(cumulativeRefundedMinor, lineNetMinor)
        : orderLine.quantity > 0
          ? capAtOne(BigInt(cumulativeQuantity), BigInt(orderLine.quantity))
          : { numerator: 1n, denominator: 1n };
    if (lineNetMinor > 0n && cumulativeRefundedMinor > lineNetMinor) {
      flags.push({ type: "refund_exceeds_line", orderLineId, cumulativeRefundedMinor, lineNetMinor });
    }
    fractions.set(orderLineId, fraction);
    refundedLines.push({
      orderLineId,
      refundedSubtotalMinor: refunded.subtotalMinor,
      refundedQuantity: refunded.quantity,
      cumulativeRefundedMinor,
      lineNetMinor,
      fullyRefunded: fraction.numerator === fraction.denominator,
    });
  }

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
    },
  };
}

function checkRefund(original: OriginalEvaluation, refund: RefundForReversal): void {
  if (refund.currency.toUpperCase() !== original.currency) {
    throw new EngineInputError("refund.currency", `${refund.currency} differs from the order's ${original.currency}`);
  }
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
function sumRefundLines(refund: RefundForReversal): Map<string, { subtotalMinor: bigint; quantity: number }> {
  const sums = new Map<string, { subtotalMinor: bigint; quantity: number }>();
  for (const line of refund.lines) {
    const sum = sums.get(line.platformLineId);
    sums.set(line.platformLineId, {
      subtotalMinor: (sum?.subtotalMinor ?? 0n) + line.subtotalMinor,
      quantity: (sum?.quantity ?? 0) + line.quantity,
    });
  }
  return sums;
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
