import type { Db } from "~/db.server";

export interface DashboardSummary {
  shopDomain: string;
  eventsByStatus: Record<string, number>;
  connections: number;
}

/** Counts for the admin dashboard, all scoped to one shop. */
export async function dashboardSummary(db: Db, shopId: string): Promise<DashboardSummary> {
  const [shop, grouped, connections] = await Promise.all([
    db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true } }),
    db.webhookEvent.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } }),
    db.connection.count({ where: { shopId } }),
  ]);
  const eventsByStatus = Object.fromEntries(grouped.map((row) => [row.status, row._count._all]));
  return { shopDomain: shop.domain, eventsByStatus, connections };
}
