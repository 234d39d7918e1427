/**
 * Effective dating. Every genealogy fact (a sponsor edge, a placement edge, a status) holds during a half-open
 * interval [validFrom, validTo): it is in force at validFrom and no longer at validTo, so the edge a move closes
 * and the edge it opens share one instant without both being in force. `validTo: null` means "until further
 * notice". History is never rewritten: a change closes the interval in force and opens a new one.
 */
import { GenealogyError } from "./errors";

export interface Effective {
  readonly validFrom: Date;
  /** Exclusive end; null while the fact is still in force. */
  readonly validTo: Date | null;
}

function millis(date: Date, what: string): number {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new GenealogyError("invalid_interval", `${what} is not a valid date`);
  return time;
}

/** Throws unless validFrom < validTo (an empty interval [t, t) would be a fact that never held). */
export function assertValidInterval(interval: Effective): void {
  const from = millis(interval.validFrom, "validFrom");
  if (interval.validTo !== null && millis(interval.validTo, "validTo") <= from) {
    throw new GenealogyError("invalid_interval", `validTo (${interval.validTo.toISOString()}) must be after validFrom (${interval.validFrom.toISOString()})`);
  }
}

export function isInForce(interval: Effective, at: Date): boolean {
  const time = millis(at, "the instant");
  return interval.validFrom.getTime() <= time && (interval.validTo === null || time < interval.validTo.getTime());
}

export function overlaps(a: Effective, b: Effective): boolean {
  const aEnd = a.validTo?.getTime() ?? Number.POSITIVE_INFINITY;
  const bEnd = b.validTo?.getTime() ?? Number.POSITIVE_INFINITY;
  return a.validFrom.getTime() < bEnd && b.validFrom.getTime() < aEnd;
}

/** The items ordered by validFrom; throws if any two overlap (one node can have one sponsor at a time). */
export function sortedNonOverlapping<T extends Effective>(items: readonly T[]): T[] {
  const sorted = [...items].sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime());
  sorted.forEach(assertValidInterval);
  for (let index = 1; index < sorted.length; index += 1) {
    const previous = sorted[index - 1]!;
    const current = sorted[index]!;
    if (overlaps(previous, current)) {
      throw new GenealogyError(
        "overlapping_intervals",
        `intervals starting ${previous.validFrom.toISOString()} and ${current.validFrom.toISOString()} overlap`,
      );
    }
  }
  return sorted;
}

/**
 * The item in force at `at`, or null (before the first, in a gap, or after the last closed one).
 * Throws if two are in force at once, because then "the sponsor at T" has no single answer.
 */
export function inForceAt<T extends Effective>(items: readonly T[], at: Date): T | null {
  let found: T | null = null;
  for (const item of items) {
    if (!isInForce(item, at)) continue;
    if (found !== null) {
      throw new GenealogyError("overlapping_intervals", `two intervals are in force at ${at.toISOString()}`);
    }
    found = item;
  }
  return found;
}

/** Items whose interval starts strictly after `at` (scheduled, future-dated changes). */
export function startingAfter<T extends Effective>(items: readonly T[], at: Date): T[] {
  const time = millis(at, "the instant");
  return items.filter((item) => item.validFrom.getTime() > time);
}
