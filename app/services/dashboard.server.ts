import type { Db } from "~/db.server";
import { planCurrencyMismatches, type PlanCurrencyMismatch } from "~/domain/plan-currencies";
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
  inbox: InboxBacklog;
}

/** Counts for the admin dashboard, all scoped to one shop. */
export async function dashboardSummary(db: Db, shopId: string): Promise<DashboardSummary> {
  const [shop, grouped, connections, plan, ordersSkipped, closesSkipped, inbox] = await Promise.all([
    db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true, currency: true, currencySource: true } }),
    db.webhookEvent.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } }),
    db.connection.count({ where: { shopId } }),
    db.commissionPlanVersion.findFirst({ where: { shopId }, orderBy: { version: "desc" }, select: { rules: true } }),
    db.commission.count({ where: { shopId, flagTypes: { has: "rate_currency_mismatch" } } }),
    db.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count FROM "PeriodCloseRun"
      WHERE "shopId" = ${shopId}::uuid AND "action" = 'close' AND ("summary"->'flags') ? 'currency_mismatch'`,
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
    inbox,
  };
}
