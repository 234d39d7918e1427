/**
 * Who gets paid what (pure): from the available wallet balance of each (distributor, currency), already net of
 * every clawback (a negative balance is a debt the next earnings pay off first), decide the payout items and
 * who is held back and why. One currency per item, never converted.
 *
 *   balance ≤ 0                      → held: negative_balance (a zero balance is simply not listed)
 *   distributor not active           → held: status_not_active
 *   no payout method                 → held: no_payout_method
 *   method on hold                   → held: on_hold
 *   balance < minimum                → held: below_threshold (minimum = max(shop's, method's))
 *   otherwise                        → one item of the whole balance
 *
 * Reasons are checked in that order, so each held balance has exactly one reason, the most fundamental.
 * The company node is never a payee (what reaches it is breakage) and is skipped.
 */
import type { CurrencyCode } from "../money";

export const PAYOUT_METHODS = ["bank", "paypal", "stripe", "store_credit"] as const;
export type PayoutMethodKind = (typeof PAYOUT_METHODS)[number];

export const HELD_REASONS = ["negative_balance", "status_not_active", "no_payout_method", "on_hold", "below_threshold"] as const;
export type HeldReason = (typeof HELD_REASONS)[number];

export interface PayeeBalance {
  readonly distributorId: string;
  readonly currency: CurrencyCode;
  /** What the shop owes on the available wallet: minus the sum of its postings (negative = a carried debt). */
  readonly availableMinor: bigint;
}

export interface Payee {
  readonly distributorId: string;
  readonly status: "active" | "inactive" | "terminated" | string;
  readonly isCompanyNode: boolean;
  readonly method: { readonly kind: PayoutMethodKind; readonly onHold: boolean } | null;
}

export interface PayoutRules {
  /** In minor units of whatever currency is being paid. */
  readonly minimumMinor: bigint;
  readonly methodMinimums: Partial<Record<PayoutMethodKind, bigint>>;
}

export interface PlannedItem {
  readonly distributorId: string;
  readonly currency: CurrencyCode;
  readonly method: PayoutMethodKind;
  readonly amountMinor: bigint;
}

export interface HeldBalance {
  readonly distributorId: string;
  readonly currency: CurrencyCode;
  readonly balanceMinor: bigint;
  readonly reason: HeldReason;
  /** The minimum that was not reached (below_threshold only). */
  readonly minimumMinor?: bigint;
}

export interface CurrencyTotal {
  readonly items: number;
  readonly amountMinor: bigint;
}

export interface PayoutPlan {
  readonly items: readonly PlannedItem[];
  readonly heldBack: readonly HeldBalance[];
  readonly totals: Readonly<Record<CurrencyCode, CurrencyTotal>>;
}

export interface PlanInput {
  readonly balances: readonly PayeeBalance[];
  readonly payees: ReadonlyMap<string, Payee>;
  readonly rules: PayoutRules;
  /** Only this currency, or every currency (null). */
  readonly currency?: CurrencyCode | null;
}

export function minimumFor(rules: PayoutRules, method: PayoutMethodKind): bigint {
  const own = rules.methodMinimums[method] ?? 0n;
  return own > rules.minimumMinor ? own : rules.minimumMinor;
}

export function planPayouts({ balances, payees, rules, currency = null }: PlanInput): PayoutPlan {
  const items: PlannedItem[] = [];
  const heldBack: HeldBalance[] = [];
  // Stable output whatever order the balances were read in: by distributor, then currency.
  const sorted = [...balances].sort((a, b) => compare(a.distributorId, b.distributorId) || compare(a.currency, b.currency));
  for (const balance of sorted) {
    if (currency !== null && balance.currency !== currency) continue;
    if (balance.availableMinor === 0n) continue;
    const payee = payees.get(balance.distributorId);
    if (payee?.isCompanyNode) continue;
    const held = (reason: HeldReason, minimumMinor?: bigint) =>
      heldBack.push({
        distributorId: balance.distributorId,
        currency: balance.currency,
        balanceMinor: balance.availableMinor,
        reason,
        ...(minimumMinor === undefined ? {} : { minimumMinor }),
      });
    if (balance.availableMinor < 0n) held("negative_balance");
    else if (!payee || payee.status !== "active") held("status_not_active");
    else if (!payee.method) held("no_payout_method");
    else if (payee.method.onHold) held("on_hold");
    else {
      const minimum = minimumFor(rules, payee.method.kind);
      if (balance.availableMinor < minimum) held("below_threshold", minimum);
      else items.push({ distributorId: balance.distributorId, currency: balance.currency, method: payee.method.kind, amountMinor: balance.availableMinor });
    }
  }
  return { items, heldBack, totals: totalsOf(items) };
}

export function totalsOf(items: readonly Pick<PlannedItem, "currency" | "amountMinor">[]): Record<CurrencyCode, CurrencyTotal> {
  const totals: Record<CurrencyCode, CurrencyTotal> = {};
  for (const item of items) {
    const total = totals[item.currency] ?? { items: 0, amountMinor: 0n };
    totals[item.currency] = { items: total.items + 1, amountMinor: total.amountMinor + item.amountMinor };
  }
  return totals;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
