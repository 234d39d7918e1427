/**
 * Scheduled payout runs (pure): which slot a moment falls in for a shop's schedule. A slot key names the run it
 * creates ("weekly:2026-W49", "monthly:2026-12") and is unique per shop, so the repeatable job may tick as often
 * as it likes, on several workers at once, and still creates one run per slot. Slots are UTC calendar weeks
 * (ISO 8601, weeks start on Monday) and months: the run of a slot is created at the first tick inside it.
 */
export const PAYOUT_SCHEDULES = ["manual", "weekly", "monthly"] as const;
export type PayoutScheduleKind = (typeof PAYOUT_SCHEDULES)[number];

/** The ISO 8601 week-numbering year and week of a UTC day. */
export function isoWeek(at: Date): { year: number; week: number } {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
  // The Thursday of this week decides the year (ISO 8601).
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  return { year: day.getUTCFullYear(), week: Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7) };
}

/** The slot key of `at` for a schedule, or null for a manual one (no run is created by the schedule). */
export function scheduleSlotKey(schedule: PayoutScheduleKind, at: Date): string | null {
  if (schedule === "weekly") {
    const { year, week } = isoWeek(at);
    return `weekly:${year}-W${String(week).padStart(2, "0")}`;
  }
  if (schedule === "monthly") return `monthly:${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
  return null;
}
