/**
 * Reconciliation days for the Ledger page: the repeatable job's stored ReconciliationReport per (shop, day),
 * newest first, keyset on the day (the table's primary key), with each currency's delta; a day's drill-down
 * is the stored report's items, and "recompute" is the live reconcileShopDay the API runs.
 */
import type { DbOrTx } from "~/db/tx.server";
import type { ReconciliationJson } from "~/services/commissions/reconciliation-report.server";

export const RECONCILIATION_PAGE_SIZE = 31;

export interface ReconciliationDay {
  day: string;
  balanced: boolean;
  ordersCompared: number;
  /** Per currency: ledger − expected, formatted. */
  deltas: { currency: string; delta: string; deltaMinor: string }[];
  findings: number;
  computedAt: string;
}

const dayText = (date: Date) => date.toISOString().slice(0, 10);

function summary(report: ReconciliationJson) {
  const findings =
    (report.items?.length ?? 0) +
    (report.replay_mismatches?.length ?? 0) +
    (report.unevaluated_order_ids?.length ?? 0) +
    (report.unapplied_refund_ids?.length ?? 0) +
    (report.refund_gaps?.length ?? 0) +
    (report.dropped_money?.length ?? 0);
  return {
    ordersCompared: report.orders_compared ?? 0,
    deltas: (report.totals ?? []).map((total) => ({ currency: total.currency, delta: total.delta.amount, deltaMinor: total.delta.amount_minor })),
    findings,
  };
}

/** One page of reconciled days before `before` (YYYY-MM-DD, exclusive); `unbalancedOnly` keeps the days with a finding. */
export async function reconciliationDays(
  client: DbOrTx,
  shopId: string,
  options: { before?: string | null; unbalancedOnly?: boolean } = {},
): Promise<{ days: ReconciliationDay[]; nextBefore: string | null }> {
  const before = options.before && /^\d{4}-\d{2}-\d{2}$/.test(options.before) ? new Date(`${options.before}T00:00:00Z`) : null;
  const rows = await client.reconciliationReport.findMany({
    where: { shopId, ...(before ? { day: { lt: before } } : {}), ...(options.unbalancedOnly ? { balanced: false } : {}) },
    orderBy: { day: "desc" },
    take: RECONCILIATION_PAGE_SIZE + 1,
  });
  const page = rows.slice(0, RECONCILIATION_PAGE_SIZE);
  return {
    days: page.map((row) => ({
      day: dayText(row.day),
      balanced: row.balanced,
      computedAt: row.computedAt.toISOString(),
      ...summary(row.report as unknown as ReconciliationJson),
    })),
    nextBefore: rows.length > RECONCILIATION_PAGE_SIZE ? dayText(page[page.length - 1]!.day) : null,
  };
}

/** The stored report of one day, as the API shapes it; null when the job has not reconciled that day. */
export async function reconciliationDay(client: DbOrTx, shopId: string, day: string): Promise<ReconciliationJson | null> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const row = await client.reconciliationReport.findUnique({ where: { shopId_day: { shopId, day: new Date(`${day}T00:00:00Z`) } } });
  return row ? (row.report as unknown as ReconciliationJson) : null;
}
