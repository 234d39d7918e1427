/**
 * The sweep for stuck payout runs. A run is stuck when it is approved or executing, none of its jobs is waiting,
 * delayed or running in the payouts queue, and nothing about it has moved for `staleAfterMs`:
 *
 *   - approved, never started: the enqueue after the approval was lost (Redis down or flushed at that moment);
 *   - executing with items `pending` (the worker died before recording the intent) or `submitted` to a rail we
 *     poll (it died after asking the provider, before the answer reached the ledger: the outcome is unknown), and
 *     no job left (Redis flushed, or the job spent its attempts while the provider was down).
 *
 * It is resumed by queueing its execute job again. That is safe because the executor is: it re-records the
 * intent and re-asks the provider with the same keys (Stripe Idempotency-Key, PayPal sender_batch_id, the store
 * credit look-back), so a payment that went out is found, not made again, and each answer posts once. Bank
 * items `submitted` are waiting for the bank's confirmation file, not stuck, and are left alone.
 */
import type { Queue } from "bullmq";
import type { Db } from "~/db.server";
import type { ExecutePayoutRunJob } from "./queue.server";

/** Well above a provider call's timeout and the poll interval: an executor still at work has moved something. */
export const PAYOUT_STALE_AFTER_MS = 15 * 60_000;

export interface StuckRun {
  readonly shopId: string;
  readonly runId: string;
  readonly status: string;
  readonly openItems: number;
}

/** Runs that look stuck in the database (before the queue is asked). */
export async function stuckPayoutRuns(db: Db, now: Date, staleAfterMs: number): Promise<StuckRun[]> {
  const before = new Date(now.getTime() - staleAfterMs);
  // An approved run may have no open item left (all undercut by clawbacks): it is stuck too, it never completes.
  return db.$queryRaw<StuckRun[]>`
    SELECT r."shopId", r."id" AS "runId", r."status"::text AS status, count(i."id")::int AS "openItems"
    FROM "PayoutRun" r
    LEFT JOIN "PayoutItem" i ON i."shopId" = r."shopId" AND i."runId" = r."id"
      AND (i."status" = 'pending' OR (i."status" = 'submitted' AND i."method" <> 'bank'))
    WHERE r."status" IN ('approved', 'executing') AND r."updatedAt" < ${before}
    GROUP BY r."shopId", r."id", r."status"
    HAVING (r."status" = 'approved' OR count(i."id") > 0) AND COALESCE(max(i."updatedAt"), '-infinity') < ${before}
    ORDER BY min(r."approvedAt")`;
}

/** The runs some job of the payouts queue will still execute (waiting, delayed, running or about to retry). */
export async function queuedPayoutRuns(queue: Queue<ExecutePayoutRunJob>): Promise<Set<string>> {
  const jobs = await queue.getJobs(["active", "waiting", "delayed", "prioritized", "waiting-children"]);
  return new Set(jobs.filter((job) => job?.data?.runId).map((job) => job.data.runId));
}

export const sweepJobId = (runId: string, now: Date) => `run-${runId}-sweep-${now.getTime()}`;

export async function sweepStuckPayouts(
  db: Db,
  options: {
    now?: Date;
    staleAfterMs?: number;
    queued: () => Promise<ReadonlySet<string>>;
    resume: (run: StuckRun) => Promise<void>;
  },
): Promise<{ resumed: StuckRun[] }> {
  const now = options.now ?? new Date();
  const stuck = await stuckPayoutRuns(db, now, options.staleAfterMs ?? PAYOUT_STALE_AFTER_MS);
  if (stuck.length === 0) return { resumed: [] };
  const queued = await options.queued();
  const resumed = stuck.filter((run) => !queued.has(run.runId));
  for (const run of resumed) await options.resume(run);
  return { resumed };
}
