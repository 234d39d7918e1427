/**
 * Scheduled payout runs: for every active shop whose payout settings say weekly or monthly, the run of the
 * current slot (app/domain/payouts/schedule.ts) is created as a draft, once: PayoutRun's unique
 * (shopId, scheduleKey) makes a second tick, a second worker or a replayed job find the existing run. A shop
 * that chose auto-approve has the slot's run approved and queued for execution; a draft left unapproved by a
 * crash between the two steps is approved at the next tick. A merchant who cancelled the slot's run keeps it
 * cancelled: the slot has its run and none is created again.
 */
import type { Db } from "~/db.server";
import { scheduleSlotKey, type PayoutScheduleKind } from "~/domain/payouts";
import { logger } from "~/logger.server";
import { enqueuePayoutRun } from "./queue.server";
import { approvePayoutRun, createPayoutRun } from "./runs.server";

export interface ScheduledRunsResult {
  readonly created: number;
  readonly approved: number;
  readonly failed: number;
}

export const SCHEDULE_ACTOR = "schedule";

export async function createScheduledRuns(
  db: Db,
  options: { now?: Date; shopId?: string; enqueue?: (shopId: string, runId: string) => Promise<void> } = {},
): Promise<ScheduledRunsResult> {
  const now = options.now ?? new Date();
  const enqueue = options.enqueue ?? enqueuePayoutRun;
  const shops = await db.payoutSettings.findMany({
    where: { schedule: { not: "manual" }, shop: { status: "active" }, ...(options.shopId ? { shopId: options.shopId } : {}) },
    select: { shopId: true, schedule: true, autoApprove: true },
  });
  let created = 0;
  let approved = 0;
  let failed = 0;
  for (const shop of shops) {
    const schedule = shop.schedule as PayoutScheduleKind;
    const scheduleKey = scheduleSlotKey(schedule, now);
    if (!scheduleKey) continue;
    try {
      const run = await createPayoutRun(db, shop.shopId, { actor: SCHEDULE_ACTOR, schedule, scheduleKey });
      if (run.created) created += 1;
      if (!shop.autoApprove) continue;
      const status = (await db.payoutRun.findFirstOrThrow({ where: { shopId: shop.shopId, id: run.runId }, select: { status: true } })).status;
      if (status !== "draft") continue;
      const result = await approvePayoutRun(db, shop.shopId, run.runId, SCHEDULE_ACTOR);
      if (result.outcome === "approved") {
        approved += 1;
        await enqueue(shop.shopId, run.runId);
      }
    } catch (error) {
      // One shop's failure must not keep the others' runs from being created; the next tick tries again.
      failed += 1;
      logger.error({ shopId: shop.shopId, scheduleKey, err: error }, "scheduled payout run failed");
    }
  }
  return { created, approved, failed };
}
