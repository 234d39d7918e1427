/**
 * Releasing a closed period's bonuses: once the shop's refund window (the one per-order commissions are held for)
 * has passed after the period's end, what each (rule, recipient) has net in the pending wallet from the period
 * moves to the available wallet, one hold_release transaction each (periodReleaseKey), and the period is marked
 * released so later corrections go to the available wallet. The window is also the time an admin has to re-open
 * the period before its money becomes payable. Idempotent: keyed transactions, and the period row is locked.
 */
import type { Db } from "~/db.server";
import type { PeriodLineTotal } from "~/domain/periods";
import { parseCommissionSettings } from "~/services/commissions/settings.server";
import { postPeriodReleases } from "./post-period.server";

const DAY_MS = 86_400_000;

export async function releaseDuePeriods(db: Db, options: { now?: Date; shopId?: string } = {}): Promise<{ periods: number; transactions: number }> {
  const now = options.now ?? new Date();
  const candidates = await db.commissionPeriod.findMany({
    where: { status: "closed", releasedAt: null, revision: { gt: 0 }, endsAt: { lte: now }, ...(options.shopId ? { shopId: options.shopId } : {}) },
    orderBy: { endsAt: "asc" },
    select: { id: true, shopId: true, endsAt: true, shop: { select: { settings: true } } },
  });
  let periods = 0;
  let transactions = 0;
  for (const candidate of candidates) {
    const windowDays = parseCommissionSettings(candidate.shop.settings, candidate.endsAt).refundWindowDays;
    if (candidate.endsAt.getTime() + windowDays * DAY_MS > now.getTime()) continue;
    const posted = await db.$transaction(async (tx) => {
      const [period] = await tx.$queryRaw<{ key: string; revision: number; status: string; releasedAt: Date | null }[]>`
        SELECT "key", "revision", "status"::text AS status, "releasedAt" FROM "CommissionPeriod"
        WHERE "shopId" = ${candidate.shopId}::uuid AND "id" = ${candidate.id}::uuid FOR UPDATE`;
      // Re-opened meanwhile, or released by an overlapping run: nothing to do now.
      if (!period || period.status !== "closed" || period.releasedAt !== null) return null;
      const net = await tx.$queryRaw<Pick<PeriodLineTotal, "rule" | "kind" | "distributorId" | "currency" | "amountMinor">[]>`
        SELECT "rule", min("kind") AS kind, "distributorId", "currency", sum("amountMinor")::bigint AS "amountMinor"
        FROM "PeriodCommission" WHERE "shopId" = ${candidate.shopId}::uuid AND "periodId" = ${candidate.id}::uuid
        GROUP BY "rule", "distributorId", "currency" HAVING sum("amountMinor") > 0`;
      const result = await postPeriodReleases(tx, {
        shopId: candidate.shopId,
        periodId: candidate.id,
        periodKey: period.key,
        revision: period.revision,
        occurredAt: now,
        totals: net.map((row) => ({ ...row, idempotencyKey: "" })),
      });
      await tx.commissionPeriod.update({ where: { id: candidate.id }, data: { releasedAt: now } });
      return result.transactions;
    });
    if (posted === null) continue;
    periods += 1;
    transactions += posted;
  }
  return { periods, transactions };
}
