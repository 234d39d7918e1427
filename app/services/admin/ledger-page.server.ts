/** What the Ledger page's loader returns: the postings tab (ledgerPage) or the reconciliation days and one day's drill-down. */
import type { DbOrTx } from "~/db/tx.server";
import { ledgerPage, type LedgerRow, type LedgerTotal } from "./ledger.server";
import { reconciliationDay, reconciliationDays, type ReconciliationDay } from "./reconciliation-days.server";
import type { ReconciliationJson } from "~/services/commissions/reconciliation-report.server";

export type LedgerExplorer =
  | {
      tab: "postings";
      rows: LedgerRow[];
      next: string | null;
      totals: LedgerTotal[] | null;
      unknown: "distributor" | "order" | null;
      errors: Record<string, string>;
    }
  | { tab: "reconciliation"; days: ReconciliationDay[]; nextBefore: string | null; detail: ReconciliationJson | null };

export async function ledgerExplorer(client: DbOrTx, shopId: string, params: URLSearchParams): Promise<LedgerExplorer> {
  if (params.get("tab") === "reconciliation") {
    const day = params.get("day");
    const [page, detail] = await Promise.all([
      reconciliationDays(client, shopId, { before: params.get("before"), unbalancedOnly: params.get("unbalanced") === "1" }),
      day ? reconciliationDay(client, shopId, day) : Promise.resolve(null),
    ]);
    return { tab: "reconciliation", ...page, detail };
  }
  const page = await ledgerPage(client, shopId, params);
  if (!page.ok) return { tab: "postings", rows: [], next: null, totals: [], unknown: null, errors: page.errors };
  return { tab: "postings", rows: page.rows, next: page.next, totals: page.totals, unknown: page.unknown, errors: {} };
}
