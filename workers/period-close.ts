/**
 * Repeatable job: close every commission period whose end (plus the cutoff grace, PERIOD_CLOSE_GRACE_MS,
 * default 0) has passed, oldest first, for every shop whose plan has a period schedule; then release the bonuses
 * of closed periods whose refund window has passed (pending → available). Idempotent: a closed period closes to
 * nothing and releases are keyed, so overlapping runs or a retry post nothing twice.
 */
import type { CoreConfig } from "~/config.server";
import type { Db } from "~/db.server";
import { logger } from "~/logger.server";
import { closeDuePeriods } from "~/services/periods/close-due.server";
import { releaseDuePeriods } from "~/services/periods/release-period.server";

/** Periods end at midnight UTC; a quarter of an hour later is soon enough, and the close is cheap to re-check. */
export const PERIOD_CLOSE_EVERY_MS = 15 * 60_000;

export async function runPeriodClose(db: Db, settings: Pick<CoreConfig, "PERIOD_CLOSE_GRACE_MS">, now = new Date()) {
  const result = await closeDuePeriods(db, { now, graceMs: settings.PERIOD_CLOSE_GRACE_MS });
  if (result.closed > 0) logger.info(result, "closed commission periods");
  if (result.refused.length > 0) logger.warn({ refused: result.refused }, "commission periods left open");
  const released = await releaseDuePeriods(db, { now });
  if (released.periods > 0) logger.info(released, "released commission period bonuses");
  return { ...result, released };
}
