/**
 * Ledger account naming. Every account belongs to one shop and one currency, so a posting can never move
 * money between shops or convert currencies by accident. Codes are stable strings built with joinKey:
 *
 *   commission_expense:{shop}:{CUR}                      what the shop owes out as commissions (debit side)
 *   wallet_pending:{shop}:{CUR}:{distributor}            earned, still inside the refund window
 *   wallet_available:{shop}:{CUR}:{distributor}          earned and payable
 *   payouts_clearing:{shop}:{CUR}                        money on its way out through a payout provider
 *   payouts_cash:{shop}:{CUR}                            money a provider confirmed paid out (settled clearing)
 *
 * Sign convention for postings: positive = debit, negative = credit. Wallets are liabilities, so a wallet's
 * balance owed to the distributor is minus the sum of its postings (and a clawback can push it below zero).
 */
import { joinKey, splitKey } from "../engine/entry-key";
import { normalizeCurrency, type CurrencyCode } from "../money";

export const ACCOUNT_KINDS = ["commission_expense", "wallet_pending", "wallet_available", "payouts_clearing", "payouts_cash"] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export type LedgerAccount =
  | { readonly kind: "commission_expense" | "payouts_clearing" | "payouts_cash"; readonly shopId: string; readonly currency: CurrencyCode }
  | {
      readonly kind: "wallet_pending" | "wallet_available";
      readonly shopId: string;
      readonly currency: CurrencyCode;
      readonly distributorId: string;
    };

export function commissionExpenseAccount(shopId: string, currency: CurrencyCode): string {
  return joinKey(["commission_expense", shopId, normalizeCurrency(currency)]);
}

export function payoutsClearingAccount(shopId: string, currency: CurrencyCode): string {
  return joinKey(["payouts_clearing", shopId, normalizeCurrency(currency)]);
}

export function payoutsCashAccount(shopId: string, currency: CurrencyCode): string {
  return joinKey(["payouts_cash", shopId, normalizeCurrency(currency)]);
}

export function walletPendingAccount(shopId: string, currency: CurrencyCode, distributorId: string): string {
  return joinKey(["wallet_pending", shopId, normalizeCurrency(currency), distributorId]);
}

export function walletAvailableAccount(shopId: string, currency: CurrencyCode, distributorId: string): string {
  return joinKey(["wallet_available", shopId, normalizeCurrency(currency), distributorId]);
}

export type WalletStage = "pending" | "available";

export function walletAccount(stage: WalletStage, shopId: string, currency: CurrencyCode, distributorId: string): string {
  return stage === "pending" ? walletPendingAccount(shopId, currency, distributorId) : walletAvailableAccount(shopId, currency, distributorId);
}

/** Reads an account code back, e.g. to group postings per distributor in reports; null if it is not ours. */
export function parseAccount(code: string): LedgerAccount | null {
  const [kind, shopId, currency, distributorId, ...rest] = splitKey(code);
  if (shopId === undefined || currency === undefined || rest.length > 0) return null;
  if (kind === "commission_expense" || kind === "payouts_clearing" || kind === "payouts_cash") {
    return distributorId === undefined ? { kind, shopId, currency } : null;
  }
  if ((kind === "wallet_pending" || kind === "wallet_available") && distributorId !== undefined) {
    return { kind, shopId, currency, distributorId };
  }
  return null;
}
