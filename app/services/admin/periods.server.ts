/**
 * The admin's Periods page: the shop's commission periods (created up to now from the plan's schedule) with
 * what each close paid, and the two actions an operator takes by hand — close a period that has ended, re-open
 * a closed one with a reason. Both go through the services the REST API and the repeatable job use.
 */
import { z } from "zod";
import { formatMinor } from "~/domain/money";
import type { Db } from "~/db.server";
import { ensurePeriods } from "~/services/periods/calendar.server";
import { closeCommissionPeriod } from "~/services/periods/close-period.server";
import { PeriodServiceError } from "~/services/periods/errors.server";
import { reopenCommissionPeriod } from "~/services/periods/reopen-period.server";

export interface PeriodRowView {
  readonly id: string;
  readonly key: string;
  readonly schedule: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly status: "open" | "closed" | "reopened";
  readonly revision: number;
  readonly ended: boolean;
  readonly paid: string | null;
  readonly lines: number | null;
}

const SHOWN = 24;

export async function periodsOverview(db: Db, shopId: string, now = new Date()): Promise<{ periods: PeriodRowView[] }> {
  await ensurePeriods(db, shopId, now);
  const rows = await db.commissionPeriod.findMany({
    where: { shopId },
    orderBy: { startsAt: "desc" },
    take: SHOWN,
    select: { id: true, key: true, schedule: true, startsAt: true, endsAt: true, status: true, revision: true, currency: true, summary: true },
  });
  return {
    periods: rows.map((row) => {
      const summary = row.summary as { totalMinor?: string; lines?: number } | null;
      return {
        id: row.id,
        key: row.key,
        schedule: row.schedule,
        startsAt: row.startsAt.toISOString(),
        endsAt: row.endsAt.toISOString(),
        status: row.status,
        revision: row.revision,
        ended: row.endsAt <= now,
        paid: summary?.totalMinor && row.currency ? `${formatMinor(BigInt(summary.totalMinor), row.currency)} ${row.currency}` : null,
        lines: summary?.lines ?? null,
      };
    }),
  };
}

export type PeriodActionOutcome =
  { readonly ok: true; readonly message: string } | { readonly ok: false; readonly periodId: string | null; readonly error: string };

const actionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("close"), periodId: z.uuid() }),
  z.object({ intent: z.literal("reopen"), periodId: z.uuid(), reason: z.string().trim().max(2_000) }),
]);

export async function periodAction(db: Db, shopId: string, form: FormData, actor: string): Promise<PeriodActionOutcome> {
  const parsed = actionForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, periodId: null, error: "Unknown action." };
  const { periodId } = parsed.data;
  try {
    if (parsed.data.intent === "close") {
      const outcome = await closeCommissionPeriod(db, shopId, periodId, { actor });
      if (outcome.action === "already_closed") return { ok: true, message: "The period was already closed: nothing was posted." };
      const { summary } = outcome;
      return { ok: true, message: `Closed: ${summary.lines} lines, ${formatMinor(BigInt(summary.postedMinor), summary.currency)} ${summary.currency} posted.` };
    }
    const reopened = await reopenCommissionPeriod(db, shopId, periodId, { actor, reason: parsed.data.reason });
    return { ok: true, message: `Period ${reopened.key} re-opened: its next close posts only corrections.` };
  } catch (error) {
    if (error instanceof PeriodServiceError) return { ok: false, periodId, error: error.message };
    throw error;
  }
}
