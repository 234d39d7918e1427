/**
 * When the shop's payout schedule next creates a run (pure), for the affiliate portal's "next expected payout":
 * weekly runs are due on Mondays (ISO weeks, 00:00 UTC), monthly runs on the 1st of the month (00:00 UTC); a
 * manual schedule has no date (the merchant pays when they choose).
 */
export type PayoutScheduleKind = "manual" | "weekly" | "monthly";

export function nextScheduledPayout(schedule: PayoutScheduleKind | string, now: Date): Date | null {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (schedule === "weekly") {
    const daysToMonday = (8 - now.getUTCDay()) % 7 || 7;
    return new Date(midnight + daysToMonday * 86_400_000);
  }
  if (schedule === "monthly") return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return null;
}
