/**
 * Repeatable payout jobs: the scheduled runs of every shop (weekly / monthly slots, auto-approved when the shop
 * chose it) and the sweep that resumes stuck runs (app/services/payouts/sweep.server.ts). Both are idempotent:
 * a slot has one run, and a resumed run re-asks its provider with the same keys.
 */
import type { Db } from "~/db.server";
import { logger } from "~/logger.server";
import { payoutsQueue, requeuePayoutRun } from "~/services/payouts/queue.server";
import { createScheduledRuns } from "~/services/payouts/scheduled.server";
import { PAYOUT_STALE_AFTER_MS, queuedPayoutRuns, sweepJobId, sweepStuckPayouts } from "~/services/payouts/sweep.server";

/** A slot's run appears within a quarter of an hour of the slot's start. */
export const PAYOUT_SCHEDULE_EVERY_MS = 15 * 60_000;
export const PAYOUT_SWEEP_EVERY_MS = 5 * 60_000;

export async function runPayoutSchedules(db: Db, now = new Date()) {
  const result = await createScheduledRuns(db, { now });
  if (result.created > 0 || result.approved > 0) logger.info(result, "scheduled payout runs");
  return result;
}

export async function runPayoutSweep(db: Db, now = new Date(), staleAfterMs = Number(process.env.PAYOUT_STALE_AFTER_MS ?? PAYOUT_STALE_AFTER_MS)) {
  const { resumed } = await sweepStuckPayouts(db, {
    now,
    staleAfterMs,
    queued: () => queuedPayoutRuns(payoutsQueue()),
    resume: (run) => requeuePayoutRun(run.shopId, run.runId, sweepJobId(run.runId, now)),
  });
  if (resumed.length > 0) logger.warn({ runs: resumed }, "resumed stuck payout runs");
  return { resumed: resumed.length };
}
