/**
 * Repeatable job: move commissions whose refund window has passed from the pending to the available wallet.
 * Idempotent (release transactions are keyed per order, rule and recipient), so overlapping runs or a retry
 * after a crash release nothing twice.
 */
import type { Db } from "~/db.server";
import { logger } from "~/logger.server";
import { releaseDueHolds } from "~/services/commissions/holds.server";

/** Windows are counted in days; a quarter-hour lag in becoming available is invisible to anyone. */
export const HOLD_RELEASE_EVERY_MS = 15 * 60_000;

export async function runHoldRelease(db: Db, now = new Date()) {
  const result = await releaseDueHolds(db, { now });
  if (result.commissions > 0) logger.info(result, "released held commissions");
  return result;
}
