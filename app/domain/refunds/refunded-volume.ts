/**
 * How much of an order's volume (and commission base) one refund takes back, from the order's stored evaluation
 * and the refund's reversal result: the period close lowers the refund's period by exactly this.
 *
 * Drift-free like the money reversal (app/domain/refunds/reversal.ts): for each refunded line the volume taken
 * back so far is round_half_even(line volume × cumulative refunded fraction), and one refund takes back that
 * target minus the target before it. The steps telescope, so refunding a line in one go or in several pieces
 * takes back exactly its volume in total, and never more (the fraction is capped at 1). The fraction is the
 * money reversal's own (refunded commission base over line base, so shipping, tax and amount-only refunds move
 * volume exactly as they move money); a line whose base was zero goes by quantity, as the money reversal does.
 * Results stored before the base was recorded go by net amount, as they did then.
 */
import { divideRoundHalfEven } from "../money";
import type { EvaluatedLine } from "../engine/types";
import type { RefundedLineSummary } from "./reversal";

export interface RefundedVolume {
  readonly pvHundredths: bigint;
  readonly cvHundredths: bigint;
  readonly baseMinor: bigint;
}

type LineVolumes = Pick<EvaluatedLine, "orderLineId" | "quantity" | "netMinor" | "pvHundredths" | "cvHundredths" | "baseMinor">;
type RefundedLine = Pick<RefundedLineSummary, "orderLineId" | "refundedSubtotalMinor" | "refundedQuantity" | "cumulativeRefundedMinor" | "lineNetMinor"> &
  Partial<Pick<RefundedLineSummary, "lineBaseMinor" | "refundedBaseMinor" | "cumulativeRefundedBaseMinor">>;

export const NO_VOLUME: RefundedVolume = Object.freeze({ pvHundredths: 0n, cvHundredths: 0n, baseMinor: 0n });

/**
 * `cumulativeQuantity`: the refunded quantity of each line after this refund (the reversal's progress), which
 * decides lines whose net amount was zero.
 */
export function refundedVolume(
  orderLines: readonly LineVolumes[],
  refundedLines: readonly RefundedLine[],
  cumulativeQuantity: Readonly<Record<string, number>>,
): RefundedVolume {
  let pv = 0n;
  let cv = 0n;
  let base = 0n;
  for (const refunded of refundedLines) {
    const line = orderLines.find((candidate) => candidate.orderLineId === refunded.orderLineId);
    if (!line) continue;
    const byBase = refunded.lineBaseMinor !== undefined && refunded.cumulativeRefundedBaseMinor !== undefined && refunded.refundedBaseMinor !== undefined;
    const [after, before, whole] =
      byBase && refunded.lineBaseMinor! > 0n
        ? [refunded.cumulativeRefundedBaseMinor!, refunded.cumulativeRefundedBaseMinor! - refunded.refundedBaseMinor!, refunded.lineBaseMinor!]
        : !byBase && refunded.lineNetMinor > 0n
          ? [refunded.cumulativeRefundedMinor, refunded.cumulativeRefundedMinor - refunded.refundedSubtotalMinor, refunded.lineNetMinor]
          : quantityFractions(line.quantity, cumulativeQuantity[refunded.orderLineId] ?? refunded.refundedQuantity, refunded.refundedQuantity);
    pv += takenBack(line.pvHundredths, before, after, whole);
    cv += takenBack(line.cvHundredths, before, after, whole);
    base += takenBack(line.baseMinor, before, after, whole);
  }
  return { pvHundredths: pv, cvHundredths: cv, baseMinor: base };
}

function quantityFractions(quantity: number, cumulative: number, thisRefund: number): [bigint, bigint, bigint] {
  // No quantity either: the whole line is refunded with its first refund, like the money reversal.
  if (quantity <= 0) return [1n, cumulative - thisRefund > 0 ? 1n : 0n, 1n];
  return [BigInt(cumulative), BigInt(cumulative - thisRefund), BigInt(quantity)];
}

function takenBack(value: bigint, before: bigint, after: bigint, whole: bigint): bigint {
  if (value <= 0n) return 0n;
  return shareOf(value, after, whole) - shareOf(value, before, whole);
}

function shareOf(value: bigint, part: bigint, whole: bigint): bigint {
  const capped = part < 0n ? 0n : part > whole ? whole : part;
  return divideRoundHalfEven(value * capped, whole);
}

export function addVolumes(a: RefundedVolume, b: RefundedVolume): RefundedVolume {
  return { pvHundredths: a.pvHundredths + b.pvHundredths, cvHundredths: a.cvHundredths + b.cvHundredths, baseMinor: a.baseMinor + b.baseMinor };
}
