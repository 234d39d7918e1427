/**
 * Posting rules: pure builders that turn engine output into balanced ledger transaction drafts. The DB writer
 * inserts them as they are (append-only) inside the order's DB transaction; a unique idempotency key per draft
 * makes a replayed job a no-op.
 *
 * Granularity: one transaction per (order, rule, recipient) for commissions and hold releases, and per
 * (refund, rule, recipient) for reversals, so each distributor's money movement is addressable on its own
 * (a later plan component adds transactions without touching earlier ones).
 *
 *   commission:        debit commission expense   / credit the distributor's pending wallet
 *   reversal:          credit commission expense  / debit the wallet it sits in (pending, or available once released)
 *   hold release:      debit the pending wallet   / credit the available wallet
 */
import type { CurrencyCode } from "../money";
import type { CommissionLine, EvaluationResult } from "../engine/types";
import type { ReversalResult } from "../refunds/reversal";
import { commissionExpenseAccount, walletAccount, walletPendingAccount, walletAvailableAccount, type WalletStage } from "./accounts";
import { assertBalanced } from "./balance";
import { commissionKey, holdReleaseKey, reversalKey } from "./idempotency-keys";

export type LedgerTransactionKind =
  "commission" | "commission_reversal" | "hold_release" | "period_commission" | "period_correction" | "payout" | "payout_settlement" | "payout_reversal";

export interface LedgerPostingDraft {
  readonly account: string;
  /** Positive = debit, negative = credit (see accounts.ts). */
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
}

/** JSON-native context for audit and reconciliation; never read to compute balances. */
export interface LedgerTransactionMetadata {
  readonly shopId: string;
  /** Null for transactions no order caused (payouts). */
  readonly orderId: string | null;
  readonly rule: string;
  readonly distributorId: string;
  readonly refundId: string | null;
  readonly levels: readonly number[];
  readonly orderLineIds: readonly string[];
}

/** The metadata of a period's transaction (period-transactions.ts): it has no order. */
export interface PeriodTransactionMetadata {
  readonly shopId: string;
  readonly periodId: string;
  readonly periodKey: string;
  readonly revision: number;
  readonly rule: string;
  /** The plan component type ("binary", "matching", "rank_advancement"). */
  readonly kind: string;
  readonly distributorId: string;
}

export interface LedgerTransactionDraft<Metadata extends LedgerTransactionMetadata | PeriodTransactionMetadata = LedgerTransactionMetadata> {
  readonly idempotencyKey: string;
  readonly kind: LedgerTransactionKind;
  /** ISO 8601: the order time for commissions, the refund time for reversals, the release time for releases. */
  readonly occurredAt: string;
  readonly postings: readonly LedgerPostingDraft[];
  readonly metadata: Metadata;
}

/** What the one ledger writer (services/ledger/post.server.ts) takes: an order's drafts or a period's. */
export type AnyLedgerTransactionDraft = LedgerTransactionDraft | LedgerTransactionDraft<PeriodTransactionMetadata>;

/** The order a draft belongs to; null for a period's. */
export function draftOrderId(draft: AnyLedgerTransactionDraft): string | null {
  return "orderId" in draft.metadata ? draft.metadata.orderId : null;
}

interface RecipientTotal {
  readonly rule: string;
  readonly distributorId: string;
  readonly currency: CurrencyCode;
  amountMinor: bigint;
  readonly levels: number[];
  readonly orderLineIds: string[];
}

type RecipientLine = Pick<CommissionLine, "rule" | "distributorId" | "currency" | "amountMinor" | "level" | "orderLineId">;

/** Sums lines per (rule, recipient), in order of first appearance so the drafts come out in a stable order. */
function totalsPerRecipient(lines: readonly RecipientLine[]): RecipientTotal[] {
  const totals = new Map<string, RecipientTotal>();
  for (const line of lines) {
    const key = `${line.rule}\u0000${line.distributorId}`;
    let total = totals.get(key);
    if (!total) {
      total = { rule: line.rule, distributorId: line.distributorId, currency: line.currency, amountMinor: 0n, levels: [], orderLineIds: [] };
      totals.set(key, total);
    }
    total.amountMinor += line.amountMinor;
    if (!total.levels.includes(line.level)) total.levels.push(line.level);
    if (!total.orderLineIds.includes(line.orderLineId)) total.orderLineIds.push(line.orderLineId);
  }
  return [...totals.values()];
}

function draft(fields: Omit<LedgerTransactionDraft, "postings">, postings: readonly LedgerPostingDraft[]): LedgerTransactionDraft {
  assertBalanced(postings);
  return { ...fields, postings };
}

export interface CommissionPostingInput {
  readonly shopId: string;
  readonly evaluation: Pick<EvaluationResult, "orderId" | "lines" | "snapshot">;
}

export function buildCommissionTransactions({ shopId, evaluation }: CommissionPostingInput): LedgerTransactionDraft[] {
  const occurredAt = evaluation.snapshot.order.orderedAt;
  return totalsPerRecipient(evaluation.lines).map((total) =>
    draft(
      {
        idempotencyKey: commissionKey(evaluation.orderId, total.rule, total.distributorId),
        kind: "commission",
        occurredAt,
        metadata: metadataFor(shopId, evaluation.orderId, null, total),
      },
      [
        { account: commissionExpenseAccount(shopId, total.currency), amountMinor: total.amountMinor, currency: total.currency },
        {
          account: walletPendingAccount(shopId, total.currency, total.distributorId),
          amountMinor: -total.amountMinor,
          currency: total.currency,
        },
      ],
    ),
  );
}

export interface ReversalPostingInput {
  readonly shopId: string;
  readonly reversal: ReversalResult;
  /**
   * Which wallet still holds this order's commission for a recipient: "pending" until its hold release was
   * posted, "available" after. Default: pending. A clawback from "available" may take the wallet below zero.
   */
  readonly walletStage?: (entry: { readonly rule: string; readonly distributorId: string }) => WalletStage;
}

export function buildReversalTransactions({ shopId, reversal, walletStage }: ReversalPostingInput): LedgerTransactionDraft[] {
  return totalsPerRecipient(reversal.lines).map((total) => {
    // Reversal amounts are negative, so the same two postings as a commission, mirrored, move it back.
    const stage = walletStage?.({ rule: total.rule, distributorId: total.distributorId }) ?? "pending";
    return draft(
      {
        idempotencyKey: reversalKey(reversal.orderId, reversal.refundId, total.rule, total.distributorId),
        kind: "commission_reversal",
        occurredAt: reversal.refundedAt,
        metadata: metadataFor(shopId, reversal.orderId, reversal.refundId, total),
      },
      [
        { account: commissionExpenseAccount(shopId, total.currency), amountMinor: total.amountMinor, currency: total.currency },
        {
          account: walletAccount(stage, shopId, total.currency, total.distributorId),
          amountMinor: -total.amountMinor,
          currency: total.currency,
        },
      ],
    );
  });
}

export interface HoldReleaseInput {
  readonly shopId: string;
  readonly orderId: string;
  readonly rule: string;
  readonly distributorId: string;
  readonly currency: CurrencyCode;
  /** What is still pending for this (order, rule, recipient): the commission net of reversals so far. */
  readonly amountMinor: bigint;
  readonly occurredAt: string;
  readonly levels?: readonly number[];
  readonly orderLineIds?: readonly string[];
}

export function buildHoldRelease(input: HoldReleaseInput): LedgerTransactionDraft {
  const { shopId, orderId, rule, distributorId, currency, amountMinor } = input;
  return draft(
    {
      idempotencyKey: holdReleaseKey(orderId, rule, distributorId),
      kind: "hold_release",
      occurredAt: input.occurredAt,
      metadata: {
        shopId,
        orderId,
        rule,
        distributorId,
        refundId: null,
        levels: input.levels ?? [],
        orderLineIds: input.orderLineIds ?? [],
      },
    },
    [
      { account: walletPendingAccount(shopId, currency, distributorId), amountMinor, currency },
      { account: walletAvailableAccount(shopId, currency, distributorId), amountMinor: -amountMinor, currency },
    ],
  );
}

export interface OrderHoldReleaseInput {
  readonly shopId: string;
  readonly evaluation: Pick<EvaluationResult, "orderId" | "lines">;
  /** Every reversal of the order posted before the release (all still against the pending wallet). */
  readonly reversals: readonly Pick<ReversalResult, "lines">[];
  readonly occurredAt: string;
}

/**
 * When the refund window has passed: one release per (rule, recipient) for what is still pending, i.e. the
 * commission net of the reversals so far. Recipients already fully reversed get nothing to release.
 */
export function buildHoldReleasesForOrder({ shopId, evaluation, reversals, occurredAt }: OrderHoldReleaseInput): LedgerTransactionDraft[] {
  const all = [...evaluation.lines, ...reversals.flatMap((reversal) => reversal.lines)];
  return totalsPerRecipient(all)
    .filter((total) => {
      if (total.amountMinor < 0n) {
        throw new RangeError(`reversals exceed the commission of ${total.distributorId} on ${evaluation.orderId} (${total.rule})`);
      }
      return total.amountMinor > 0n;
    })
    .map((total) =>
      buildHoldRelease({
        shopId,
        orderId: evaluation.orderId,
        rule: total.rule,
        distributorId: total.distributorId,
        currency: total.currency,
        amountMinor: total.amountMinor,
        occurredAt,
        levels: total.levels,
        orderLineIds: total.orderLineIds,
      }),
    );
}

function metadataFor(shopId: string, orderId: string, refundId: string | null, total: RecipientTotal): LedgerTransactionMetadata {
  return {
    shopId,
    orderId,
    rule: total.rule,
    distributorId: total.distributorId,
    refundId,
    levels: total.levels,
    orderLineIds: total.orderLineIds,
  };
}
