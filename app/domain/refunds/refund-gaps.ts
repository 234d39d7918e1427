/**
 * What the platform's refunds of one order should have taken back, against the reversals that were applied.
 * Pure: the service gives it the stored evaluation, every refund the platform reported for the order (refund
 * webhooks and the refunds an order payload carries), and what was stored for each.
 *
 * The expected reversal is the platform's refunds replayed, in the order they were applied (then the ones never
 * applied), through the same reverseForRefund the worker uses, from nothing reversed. A refund with no reversal
 * (missing, still parked, never recorded), one rejected, or one whose stored reversal took back less or more than
 * its replay is a gap. And when the platform says the whole order was refunded or cancelled, nothing may be left:
 * the expected net commission is 0 whatever the replay says (a gap "not_fully_reversed" when it says more).
 */
import { NOTHING_REVERSED, reverseForRefund, type OriginalEvaluation, type RefundForReversal, type ReversalProgress } from "./reversal";
import { EngineInputError } from "../engine/errors";

export interface PlatformRefundSeen {
  /** The platform refund id, or "cancellation". */
  readonly key: string;
  /** Money the platform returned to the buyer (0 for a cancellation). */
  readonly totalMinor: bigint;
  /** What the reversal reads; null when it was never recorded as a refund (only seen inside an order payload). */
  readonly refund: RefundForReversal | null;
  /** What was stored for it: null when no reversal row exists. */
  readonly stored: { readonly status: "applied" | "rejected"; readonly reversedMinor: bigint } | null;
}

export type RefundGapKind =
  /** Reported by the platform, never recorded as a refund, or recorded without any reversal. */
  | "missing"
  /** Its reversal was refused (e.g. another currency than the order): nothing was taken back. */
  | "rejected"
  /** The reversal applied took back less than the refund accounts for. */
  | "short"
  /** … or more. */
  | "excess"
  /** The platform says the order was refunded in full (or cancelled) but commission is left on it. */
  | "not_fully_reversed";

export interface RefundGap {
  readonly kind: RefundGapKind;
  /** The platform refund id, or null for the order-level "not_fully_reversed". */
  readonly refundKey: string | null;
  readonly platformRefundedMinor: bigint;
  /** Negative (what should have been taken back) and what was; their difference is the gap. */
  readonly expectedReversalMinor: bigint;
  readonly appliedReversalMinor: bigint;
}

export interface OrderRefundCheck {
  /** The order's net commission as its platform refunds say it should be (paid + expected reversals, or 0). */
  readonly expectedNetMinor: bigint;
  readonly gaps: readonly RefundGap[];
}

export function checkOrderRefunds(
  original: OriginalEvaluation,
  paidMinor: bigint,
  refunds: readonly PlatformRefundSeen[],
  /** The platform says the order is refunded in full, or it was cancelled. */
  wholeOrderRefunded: boolean,
): OrderRefundCheck {
  const gaps: RefundGap[] = [];
  let progress: ReversalProgress = NOTHING_REVERSED;
  let expectedReversed = 0n;
  let appliedReversed = 0n;
  // Applied ones first, in the order they were applied (the caller's order), then the rest.
  const ordered = [...refunds.filter((seen) => seen.stored?.status === "applied"), ...refunds.filter((seen) => seen.stored?.status !== "applied")];
  for (const seen of ordered) {
    const applied = seen.stored?.status === "applied" ? seen.stored.reversedMinor : 0n;
    appliedReversed += applied;
    let expected = 0n;
    if (seen.refund) {
      try {
        const replay = reverseForRefund({ original, refund: seen.refund, progress });
        progress = replay.progress;
        expected = replay.lines.reduce((sum, line) => sum + line.amountMinor, 0n);
      } catch (error) {
        if (!(error instanceof EngineInputError)) throw error;
      }
    }
    expectedReversed += expected;
    const kind: RefundGapKind | null =
      seen.stored?.status === "rejected"
        ? "rejected"
        : seen.stored === null
          ? expected !== 0n || seen.refund === null
            ? "missing"
            : null
          : applied === expected
            ? null
            : applied > expected
              ? "short"
              : "excess";
    if (kind) gaps.push({ kind, refundKey: seen.key, platformRefundedMinor: seen.totalMinor, expectedReversalMinor: expected, appliedReversalMinor: applied });
  }
  const platformRefunded = refunds.reduce((sum, seen) => sum + seen.totalMinor, 0n);
  const replayedNet = paidMinor + expectedReversed;
  if (wholeOrderRefunded && replayedNet !== 0n) {
    gaps.push({
      kind: "not_fully_reversed",
      refundKey: null,
      platformRefundedMinor: platformRefunded,
      expectedReversalMinor: -paidMinor,
      appliedReversalMinor: appliedReversed,
    });
  }
  return { expectedNetMinor: wholeOrderRefunded ? 0n : replayedNet, gaps };
}
