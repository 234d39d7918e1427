/**
 * Daily reconciliation (pure): what the orders of a day should have cost in commissions versus what the ledger
 * shows for them, itemized per order and currency. The target delta is 0; anything else is listed.
 */
import type { CurrencyCode } from "../money";
import { parseAccount } from "./accounts";
import type { LedgerTransactionDraft } from "./transactions";

export interface OrderAmount {
  readonly orderId: string;
  readonly currency: CurrencyCode;
  readonly amountMinor: bigint;
}

export type ReconcileStatus =
  /** Expected a commission, the ledger has nothing for the order. */
  | "missing_in_ledger"
  /** The ledger has commission postings for an order nobody expected to pay on. */
  | "unexpected_in_ledger"
  | "amount_mismatch"
  /** The plan says this much is owed but it was not paid (dropped_money: a plan amount in another currency). */
  | "dropped";

export interface ReconcileItem {
  readonly orderId: string;
  readonly currency: CurrencyCode;
  readonly expectedMinor: bigint;
  readonly ledgerMinor: bigint;
  /** ledger − expected. */
  readonly deltaMinor: bigint;
  readonly status: ReconcileStatus;
}

export interface CurrencyTotals {
  readonly currency: CurrencyCode;
  readonly expectedMinor: bigint;
  readonly ledgerMinor: bigint;
  readonly deltaMinor: bigint;
}

export interface DayReconciliation {
  /** Only the (order, currency) pairs whose delta is not zero, sorted by order id then currency. */
  readonly items: readonly ReconcileItem[];
  readonly ordersCompared: number;
  readonly totals: readonly CurrencyTotals[];
  readonly balanced: boolean;
}

/**
 * Several rows for one (order, currency) on either side add up before comparing. `droppedPerOrder` is money the
 * plan owes that nothing paid (dropped-money.ts): it counts as expected, so the day can never balance with it.
 */
export function reconcileDay(
  expectedPerOrder: readonly OrderAmount[],
  ledgerPerOrder: readonly OrderAmount[],
  droppedPerOrder: readonly OrderAmount[] = [],
): DayReconciliation {
  const rows = new Map<
    string,
    { orderId: string; currency: string; expected: bigint; ledger: bigint; inExpected: boolean; inLedger: boolean; dropped: boolean }
  >();
  const rowFor = (amount: OrderAmount) => {
    const key = `${amount.orderId}\u0000${amount.currency}`;
    let row = rows.get(key);
    if (!row) {
      row = { orderId: amount.orderId, currency: amount.currency, expected: 0n, ledger: 0n, inExpected: false, inLedger: false, dropped: false };
      rows.set(key, row);
    }
    return row;
  };
  for (const amount of expectedPerOrder) {
    const row = rowFor(amount);
    row.expected += amount.amountMinor;
    row.inExpected = true;
  }
  for (const amount of droppedPerOrder) {
    const row = rowFor(amount);
    row.expected += amount.amountMinor;
    row.inExpected = true;
    row.dropped = true;
  }
  for (const amount of ledgerPerOrder) {
    const row = rowFor(amount);
    row.ledger += amount.amountMinor;
    row.inLedger = true;
  }

  const sorted = [...rows.values()].sort((a, b) => compare(a.orderId, b.orderId) || compare(a.currency, b.currency));
  const items: ReconcileItem[] = [];
  const totals = new Map<string, { expectedMinor: bigint; ledgerMinor: bigint }>();
  for (const row of sorted) {
    const total = totals.get(row.currency) ?? { expectedMinor: 0n, ledgerMinor: 0n };
    total.expectedMinor += row.expected;
    total.ledgerMinor += row.ledger;
    totals.set(row.currency, total);
    const deltaMinor = row.ledger - row.expected;
    if (deltaMinor === 0n) continue;
    const status: ReconcileStatus = row.dropped
      ? "dropped"
      : row.inExpected && (!row.inLedger || row.ledger === 0n)
        ? "missing_in_ledger"
        : !row.inExpected || row.expected === 0n
          ? "unexpected_in_ledger"
          : "amount_mismatch";
    items.push({ orderId: row.orderId, currency: row.currency, expectedMinor: row.expected, ledgerMinor: row.ledger, deltaMinor, status });
  }

  return {
    items,
    ordersCompared: new Set(sorted.map((row) => row.orderId)).size,
    totals: [...totals]
      .sort(([a], [b]) => compare(a, b))
      .map(([currency, total]) => ({ currency, ...total, deltaMinor: total.ledgerMinor - total.expectedMinor })),
    balanced: items.length === 0,
  };
}

/**
 * The ledger side from transactions: the net commission expense per order (commissions minus reversals), read
 * from postings to commission-expense accounts. The DB version is the same sum in SQL.
 */
export function commissionExpensePerOrder(transactions: readonly LedgerTransactionDraft[]): OrderAmount[] {
  const sums = new Map<string, { orderId: string; currency: string; amountMinor: bigint }>();
  for (const transaction of transactions) {
    for (const posting of transaction.postings) {
      if (parseAccount(posting.account)?.kind !== "commission_expense" || transaction.metadata.orderId === null) continue;
      const key = `${transaction.metadata.orderId}\u0000${posting.currency}`;
      const sum = sums.get(key) ?? { orderId: transaction.metadata.orderId, currency: posting.currency, amountMinor: 0n };
      sum.amountMinor += posting.amountMinor;
      sums.set(key, sum);
    }
  }
  return [...sums.values()];
}

/** The expected side for one order: what the engine paid, net of the reversals of its refunds. */
export function expectedCommissionForOrder(
  evaluation: { readonly orderId: string; readonly currency: CurrencyCode; readonly totals: { readonly paidMinor: bigint } },
  reversals: readonly { readonly lines: readonly { readonly amountMinor: bigint }[] }[] = [],
): OrderAmount {
  const reversed = reversals.reduce((sum, reversal) => sum + reversal.lines.reduce((s, line) => s + line.amountMinor, 0n), 0n);
  return { orderId: evaluation.orderId, currency: evaluation.currency, amountMinor: evaluation.totals.paidMinor + reversed };
}

// Code-unit order, not locale order: the same on every machine.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
