/**
 * The shop's commission periods as rows (CommissionPeriod), cut from its plan versions' schedules, in UTC
 * (app/domain/periods/calendar.ts: a week is Monday 00:00 UTC to the next Monday, a month the 1st 00:00 UTC to
 * the next 1st, whatever the shop's own time zone).
 *
 * The schedule of a period is the one of the plan version in force at its start. When a later version changes
 * the schedule (or drops it), the running period ends at that version's start, and the next period starts there:
 * periods never overlap and leave no gap while a schedule is in force. A version without `period` has no periods.
 *
 * Rows are inserted with ON CONFLICT DO NOTHING on (shop, schedule, key), so every caller (the job, the API) may
 * ensure them at any time. Periods are cut forward from the shop's latest one: a version published with an
 * effectiveFrom in the past does not re-cut periods that already exist.
 */
import { periodContaining, type PeriodRef } from "~/domain/periods";
import type { DbOrTx } from "~/db/tx.server";

type Schedule = PeriodRef["schedule"];

interface VersionRow {
  effectiveFrom: Date;
  schedule: Schedule | null;
}

export interface PeriodSpan {
  readonly key: string;
  readonly schedule: Schedule;
  readonly startsAt: Date;
  readonly endsAt: Date;
}

/** At most this many periods are created per call (ten years of weeks): a guard against a runaway walk. */
const MAX_NEW_PERIODS = 520;

/** Creates every period of the shop that has started by `until` and has no row yet; returns how many were new. */
export async function ensurePeriods(client: DbOrTx, shopId: string, until: Date): Promise<number> {
  const rows = await client.$queryRaw<(VersionRow & { additional: Schedule[] })[]>`
    SELECT "effectiveFrom", "rules"->'period'->>'schedule' AS schedule,
      ARRAY(SELECT entry->>'schedule' FROM jsonb_array_elements(COALESCE("rules"->'additionalSchedules', '[]'::jsonb)) AS entry) AS additional
    FROM "CommissionPlanVersion" WHERE "shopId" = ${shopId}::uuid
    ORDER BY "effectiveFrom", "version"`;
  // A plan's additional schedules (plan rules additionalSchedules) are cut as sequences of their own, beside
  // the main one; a schedule is assumed to be either main or additional across the shop's versions.
  const additional = [...new Set(rows.flatMap((row) => row.additional))];
  const versions = rows.map(({ effectiveFrom, schedule }) => ({ effectiveFrom, schedule }));
  const [latest] = await client.$queryRaw<{ endsAt: Date }[]>`
    SELECT "endsAt" FROM "CommissionPeriod" WHERE "shopId" = ${shopId}::uuid AND NOT ("schedule"::text = ANY(${additional}::text[]))
    ORDER BY "endsAt" DESC LIMIT 1`;
  const spans = periodSpans(versions, latest?.endsAt ?? null, until);
  for (const schedule of additional) {
    const [latestOfSchedule] = await client.$queryRaw<{ endsAt: Date }[]>`
      SELECT "endsAt" FROM "CommissionPeriod" WHERE "shopId" = ${shopId}::uuid AND "schedule"::text = ${schedule}
      ORDER BY "endsAt" DESC LIMIT 1`;
    const ofSchedule = rows.map((row) => ({ effectiveFrom: row.effectiveFrom, schedule: row.additional.includes(schedule) ? schedule : null }));
    spans.push(...periodSpans(ofSchedule, latestOfSchedule?.endsAt ?? null, until));
  }
  if (spans.length === 0) return 0;
  return client.$executeRaw`
    INSERT INTO "CommissionPeriod" ("shopId", "schedule", "key", "startsAt", "endsAt", "updatedAt")
    SELECT ${shopId}::uuid, s.schedule::"CommissionPeriodSchedule", s.key,
      s.starts_at::timestamptz AT TIME ZONE 'UTC', s.ends_at::timestamptz AT TIME ZONE 'UTC', now()
    FROM unnest(${spans.map((span) => span.schedule)}::text[], ${spans.map((span) => span.key)}::text[],
      ${spans.map((span) => span.startsAt.toISOString())}::text[], ${spans.map((span) => span.endsAt.toISOString())}::text[]) AS s(schedule, key, starts_at, ends_at)
    ON CONFLICT ("shopId", "schedule", "key") DO NOTHING`;
}

/**
 * The periods to create after `after` (the end of the shop's latest period; null: from its first scheduled
 * version), up to those that have started by `until`. Pure: the versions are ordered by effectiveFrom.
 */
export function periodSpans(versions: readonly VersionRow[], after: Date | null, until: Date): PeriodSpan[] {
  const first = versions.find((version) => version.schedule !== null);
  if (!first) return [];
  let at = after ?? new Date(periodContaining(first.schedule!, first.effectiveFrom.toISOString()).start);
  const spans: PeriodSpan[] = [];
  while (at < until && spans.length < MAX_NEW_PERIODS) {
    const schedule = versionAt(versions, at)?.schedule ?? first.schedule!;
    const switchAt = versions.find((version) => version.effectiveFrom > at && version.schedule !== schedule)?.effectiveFrom;
    if (schedule === null) {
      if (!switchAt) break;
      at = switchAt;
      continue;
    }
    const period = periodContaining(schedule, at.toISOString());
    const calendarEnd = new Date(period.end);
    const endsAt = switchAt && switchAt < calendarEnd ? switchAt : calendarEnd;
    spans.push({ key: period.key, schedule, startsAt: at, endsAt });
    at = endsAt;
  }
  return spans;
}

function versionAt(versions: readonly VersionRow[], at: Date): VersionRow | undefined {
  let found: VersionRow | undefined;
  for (const version of versions) if (version.effectiveFrom <= at) found = version;
  return found;
}
