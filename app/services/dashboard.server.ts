import type { Db } from "~/db.server";
import { planCurrencyMismatches, type PlanCurrencyMismatch } from "~/domain/plan-currencies";
import type { ReconciliationJson } from "~/services/commissions/reconciliation-report.server";
import { inboxBacklog, type InboxBacklog } from "~/services/inbox/backlog.server";

export interface DashboardSummary {
  shopDomain: string;
  eventsByStatus: Record<string, number>;
  connections: number;
  /** The shop's currency and where it came from (null: still the default). */
  currency: string;
  currencySource: string | null;
  /** Amounts of the newest plan version in another currency: they would not be paid. */
  planCurrencyMismatches: PlanCurrencyMismatch[];
  /** Money the engine or a period close did not pay because its currency was not the order's / shop's. */
  currencyErrors: { orders: number; periodCloses: number };
  /** The latest days the reconciliation job found unbalanced (newest first), each with why. */
  unbalancedDays: UnbalancedDay[];
  inbox: InboxBacklog;
}

export interface UnbalancedDay {
  /** YYYY-MM-DD (UTC), the day the orders were placed. */
  day: string;
  computedAt: string;
  /** One short sentence per kind of finding, e.g. "2 refunds not (fully) reversed". */
  reasons: string[];
  /** Per currency, ledger − expected when it is not 0, e.g. "-10.00 USD". */
  deltas: string[];
}

const UNBALANCED_DAYS_SHOWN = 10;

/** Counts for the admin dashboard, all scoped to one shop. */
export async function dashboardSummary(db: Db, shopId: string): Promise<DashboardSummary> {
  const [shop, grouped, connections, plan, ordersSkipped, closesSkipped, unbalanced, inbox] = await Promise.all([
    db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true, currency: true, currencySource: true } }),
    db.webhookEvent.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } }),
    db.connection.count({ where: { shopId } }),
    db.commissionPlanVersion.findFirst({ where: { shopId }, orderBy: { version: "desc" }, select: { rules: true } }),
    db.commission.count({ where: { shopId, flagTypes: { has: "rate_currency_mismatch" } } }),
    db.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count FROM "PeriodCloseRun"
      WHERE "shopId" = ${shopId}::uuid AND "action" = 'close' AND ("summary"->'flags') ? 'currency_mismatch'`,
    db.reconciliationReport.findMany({ where: { shopId, balanced: false }, orderBy: { day: "desc" }, take: UNBALANCED_DAYS_SHOWN }),
    inboxBacklog(db, shopId),
  ]);
  const eventsByStatus = Object.fromEntries(grouped.map((row) => [row.status, row._count._all]));
  return {
    shopDomain: shop.domain,
    eventsByStatus,
    connections,
    currency: shop.currency,
    currencySource: shop.currencySource,
    planCurrencyMismatches: plan ? planCurrencyMismatches(plan.rules, shop.currency) : [],
    currencyErrors: { orders: ordersSkipped, periodCloses: closesSkipped[0]?.count ?? 0 },
    unbalancedDays: unbalanced.map((row) => ({
      day: row.day.toISOString().slice(0, 10),
      computedAt: row.computedAt.toISOString(),
      ...whyUnbalanced(row.report as unknown as Partial<ReconciliationJson>),
    })),
    inbox,
  };
}

/** The stored report (reconciliationJson) summed up for a person; fields missing from older reports count as empty. */
function whyUnbalanced(report: Partial<ReconciliationJson>): { reasons: string[]; deltas: string[] } {
  const count = (list: readonly unknown[] | undefined, what: string) => (list && list.length > 0 ? [`${list.length} ${what}`] : []);
  const reasons = [
    ...count(report.refund_gaps, "refunds not (fully) reversed"),
    ...count(report.dropped_money, "plan amounts not paid (currency mismatch)"),
    ...count(report.company_wallet, "balances in the company node's wallet"),
    ...count(
      report.unowned_volume?.filter((order) => order.attributed),
      "attributed orders whose volume has no owner",
    ),
    ...count(report.unevaluated_order_ids, "paid orders without commissions"),
    ...count(report.unapplied_refund_ids, "refunds never applied"),
    ...count(report.replay_mismatches, "orders whose replay differs"),
    ...count(report.items, "orders whose ledger differs from what they should pay"),
  ];
  const deltas = (report.totals ?? []).filter((total) => total.delta.amount_minor !== "0").map((total) => `${total.delta.amount} ${total.currency}`);
  return { reasons, deltas };
}
