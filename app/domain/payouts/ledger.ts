/**
 * Payout ledger drafts (pure), in the shape of the order drafts (app/domain/ledger/transactions.ts), one
 * balanced transaction per item and step, under a deterministic key, so a replayed approval, a second worker or
 * a retried confirmation posts nothing twice:
 *
 *   approve   payout:<item>:approve   debit the available wallet     / credit payouts_clearing
 *   settle    payout:<item>:settle    debit payouts_clearing         / credit payouts_cash
 *   reverse   payout:<item>:reverse   debit payouts_clearing (or payouts_cash when it had settled)
 *                                     / credit the available wallet
 *
 * An item is reversed at most once (failed, returned or cancelled are final), so one reverse key suffices.
 * Wallets are liabilities (positive = debit): the approval lowers what is owed, the reversal restores it.
 */
import { joinKey } from "../engine/entry-key";
import {
  assertBalanced,
  payoutsCashAccount,
  payoutsClearingAccount,
  walletAvailableAccount,
  type LedgerPostingDraft,
  type LedgerTransactionDraft,
} from "../ledger";
import type { CurrencyCode } from "../money";

export type PayoutStep = "approve" | "settle" | "reverse";

export function payoutKey(itemId: string, step: PayoutStep): string {
  return joinKey(["payout", itemId, step]);
}

export interface PayoutItemRef {
  readonly shopId: string;
  readonly runId: string;
  readonly itemId: string;
  readonly distributorId: string;
  readonly currency: CurrencyCode;
  readonly amountMinor: bigint;
}

function payoutDraft(item: PayoutItemRef, step: PayoutStep, occurredAt: string, postings: LedgerPostingDraft[]): LedgerTransactionDraft {
  if (item.amountMinor <= 0n) throw new RangeError(`payout item ${item.itemId} has a non-positive amount`);
  assertBalanced(postings);
  const kind = step === "approve" ? "payout" : step === "settle" ? "payout_settlement" : "payout_reversal";
  return {
    idempotencyKey: payoutKey(item.itemId, step),
    kind,
    occurredAt,
    postings,
    metadata: {
      shopId: item.shopId,
      orderId: null,
      // "payout" as the rule and the run/item as the only line keep the order drafts' metadata shape.
      rule: `payout:${item.runId}`,
      distributorId: item.distributorId,
      refundId: null,
      levels: [],
      orderLineIds: [item.itemId],
    },
  };
}

export function payoutApproval(item: PayoutItemRef, occurredAt: string): LedgerTransactionDraft {
  const { shopId, currency, amountMinor } = item;
  return payoutDraft(item, "approve", occurredAt, [
    { account: walletAvailableAccount(shopId, currency, item.distributorId), amountMinor, currency },
    { account: payoutsClearingAccount(shopId, currency), amountMinor: -amountMinor, currency },
  ]);
}

export function payoutSettlement(item: PayoutItemRef, occurredAt: string): LedgerTransactionDraft {
  const { shopId, currency, amountMinor } = item;
  return payoutDraft(item, "settle", occurredAt, [
    { account: payoutsClearingAccount(shopId, currency), amountMinor, currency },
    { account: payoutsCashAccount(shopId, currency), amountMinor: -amountMinor, currency },
  ]);
}

/** `settled`: the item had been confirmed paid (a later return), so the money comes back from cash. */
export function payoutReversal(item: PayoutItemRef, occurredAt: string, settled: boolean): LedgerTransactionDraft {
  const { shopId, currency, amountMinor } = item;
  const from = settled ? payoutsCashAccount(shopId, currency) : payoutsClearingAccount(shopId, currency);
  return payoutDraft(item, "reverse", occurredAt, [
    { account: from, amountMinor, currency },
    { account: walletAvailableAccount(shopId, currency, item.distributorId), amountMinor: -amountMinor, currency },
  ]);
}
