/**
 * The repeatable close: for every shop whose plan has a period schedule, create the periods that have started
 * (calendar.server.ts), then close, oldest first, every OPEN period whose end is at least `graceMs` in the past
 * (the cutoff grace lets late deliveries of the period's last orders land first). A re-opened period is left to
 * the explicit close that the re-open calls for. Each close is its own transaction and idempotent, so an
 * overlapping run or a retry after a crash closes nothing twice.
 */
import type { Db } from "~/db.server";
import { ensurePeriods } from "./calendar.server";
import { closeCommissionPeriod } from "./close-period.server";
import { PeriodServiceError } from "./errors.server";

export const PERIOD_JOB_ACTOR = "system:period-close";

export interface CloseDueOptions {
  readonly now?: Date;
  readonly graceMs?: number;
  /** Only this shop (an admin trigger); every scheduled shop when absent. */
  readonly shopId?: string;
}

export interface CloseDueResult {
  readonly shops: number;
  readonly closed: number;
  readonly refused: readonly { readonly shopId: string; readonly periodId: string; readonly code: string }[];
}

export async function closeDuePeriods(db: Db, options: CloseDueOptions = {}): Promise<CloseDueResult> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - (options.graceMs ?? 0));
  const shops = await db.$queryRaw<{ shopId: string }[]>`
    SELECT DISTINCT "shopId" FROM "CommissionPlanVersion"
    WHERE "rules"->'period' IS NOT NULL AND (${options.shopId ?? null}::uuid IS NULL OR "shopId" = ${options.shopId ?? null}::uuid)`;
  let closed = 0;
  const refused: { shopId: string; periodId: string; code: string }[] = [];
  for (const { shopId } of shops) {
    await ensurePeriods(db, shopId, now);
    const due = await db.commissionPeriod.findMany({
      where: { shopId, status: "open", endsAt: { lte: cutoff } },
      orderBy: { startsAt: "asc" },
      select: { id: true },
    });
    for (const period of due) {
      try {
        const outcome = await closeCommissionPeriod(db, shopId, period.id, { actor: PERIOD_JOB_ACTOR, now });
        if (outcome.action === "closed") closed += 1;
      } catch (error) {
        if (!(error instanceof PeriodServiceError)) throw error;
        // A later period cannot close before an earlier one: stop this shop, the next run tries again.
        refused.push({ shopId, periodId: period.id, code: error.code });
        break;
      }
    }
  }
  return { shops: shops.length, closed, refused };
}
