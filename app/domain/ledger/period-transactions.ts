/**
 * Posting rules of the period close (pure), beside the per-order ones (transactions.ts): one transaction per
 * (period, rule, recipient) under a deterministic key, append-only.
 *
 *   period_commission   the first close's totals: debit commission expense / credit the wallet
 *   period_correction   a re-close's differences, either sign: the same two postings, whose signs turn with the
 *                       amount's
 *   hold_release        once the refund window after the period has passed: what the period left in the pending
 *                       wallet moves to the available wallet (periodReleaseKey)
 *
 * Commissions and corrections credit the pending wallet until the period is released, the available wallet after
 * (a negative correction then may take it below zero: the debt carries, like a clawback). A zero total posts
 * nothing: a transaction of two zero legs says nothing (and the database refuses zero postings).
 */
import { joinKey } from "../engine/entry-key";
import type { CurrencyCode } from "../money";
import { commissionExpenseAccount, walletAccount, walletAvailableAccount, walletPendingAccount, type WalletStage } from "./accounts";
import { assertBalanced } from "./balance";
import type { LedgerPostingDraft, LedgerTransactionDraft, PeriodTransactionMetadata } from "./transactions";

/** One (rule, recipient) total of a close (the period close's PeriodLineTotal, or a re-close's difference). */
export interface PeriodTotal {
  readonly idempotencyKey: string;
  readonly rule: string;
  /** The plan component type. */
  readonly kind: string;
  readonly distributorId: string;
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
}

export interface PeriodPostingInput {
  readonly shopId: string;
  readonly periodId: string;
  readonly periodKey: string;
  /** The revision this close posts (1 for the first close). */
  readonly revision: number;
  /** ISO 8601. */
  readonly occurredAt: string;
  readonly totals: readonly PeriodTotal[];
}

export type PeriodDraft = LedgerTransactionDraft<PeriodTransactionMetadata>;

export function periodReleaseKey(periodKey: string, rule: string, distributorId: string): string {
  return joinKey(["period-release", periodKey, rule, distributorId]);
}

/** A close's totals (kind period_commission) or a re-close's corrections (period_correction), non-zero ones only. */
export function buildPeriodTransactions(
  input: PeriodPostingInput & { readonly kind: "period_commission" | "period_correction"; readonly walletStage: WalletStage },
): PeriodDraft[] {
  const { shopId } = input;
  return input.totals
    .filter((total) => total.amountMinor !== 0n)
    .map((total) =>
      periodDraft(input, input.kind, total, total.idempotencyKey, [
        { account: commissionExpenseAccount(shopId, total.currency), amountMinor: total.amountMinor, currency: total.currency },
        { account: walletAccount(input.walletStage, shopId, total.currency, total.distributorId), amountMinor: -total.amountMinor, currency: total.currency },
      ]),
    );
}

/** Moves each (rule, recipient)'s net from the pending to the available wallet; only positive nets move. */
export function buildPeriodReleases(input: PeriodPostingInput): PeriodDraft[] {
  const { shopId } = input;
  return input.totals
    .filter((total) => total.amountMinor > 0n)
    .map((total) =>
      periodDraft(input, "hold_release", total, periodReleaseKey(input.periodKey, total.rule, total.distributorId), [
        { account: walletPendingAccount(shopId, total.currency, total.distributorId), amountMinor: total.amountMinor, currency: total.currency },
        { account: walletAvailableAccount(shopId, total.currency, total.distributorId), amountMinor: -total.amountMinor, currency: total.currency },
      ]),
    );
}

function periodDraft(
  input: PeriodPostingInput,
  kind: PeriodDraft["kind"],
  total: PeriodTotal,
  idempotencyKey: string,
  postings: readonly LedgerPostingDraft[],
): PeriodDraft {
  assertBalanced(postings);
  return {
    idempotencyKey,
    kind,
    occurredAt: input.occurredAt,
    postings,
    metadata: {
      shopId: input.shopId,
      periodId: input.periodId,
      periodKey: input.periodKey,
      revision: input.revision,
      rule: total.rule,
      kind: total.kind,
      distributorId: total.distributorId,
    },
  };
}
