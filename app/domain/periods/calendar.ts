/**
 * Period boundaries per schedule, in UTC: a week runs Monday 00:00 to the next Monday (key = ISO week,
 * "2026-W10"), a month from the 1st to the next 1st (key "2026-03"). Half-open [start, end), like every
 * effective-dated fact in Upline.
 */
import type { PeriodRef } from "./types";

const DAY_MS = 86_400_000;

export function periodContaining(schedule: PeriodRef["schedule"], at: string): PeriodRef {
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`"${at}" is not an ISO 8601 instant`);
  if (schedule === "monthly") {
    const start = Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), 1);
    const end = Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth() + 1, 1);
    const key = `${instant.getUTCFullYear()}-${String(instant.getUTCMonth() + 1).padStart(2, "0")}`;
    return { key, schedule, start: new Date(start).toISOString(), end: new Date(end).toISOString() };
  }
  const midnight = Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate());
  const daysSinceMonday = (instant.getUTCDay() + 6) % 7;
  const start = midnight - daysSinceMonday * DAY_MS;
  // ISO week: the week belongs to the year of its Thursday; week 1 holds the year's first Thursday.
  const thursday = new Date(start + 3 * DAY_MS);
  const weekYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / (7 * DAY_MS)) + 1;
  return {
    key: `${weekYear}-W${String(week).padStart(2, "0")}`,
    schedule,
    start: new Date(start).toISOString(),
    end: new Date(start + 7 * DAY_MS).toISOString(),
  };
}

/** The period right after `period` of the same schedule. */
export function nextPeriod(period: PeriodRef): PeriodRef {
  return periodContaining(period.schedule, period.end);
}
