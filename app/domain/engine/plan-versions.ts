/**
 * Which plan version applies to an order: the one in force at the order's timestamp, not the newest one,
 * so an order placed before a plan change is paid (and later reversed) under the plan the seller worked under.
 */
import type { PlanRules } from "./plan-schema";

export interface PlanVersion {
  readonly id: string;
  readonly version: number;
  /** ISO 8601 instant from which this version applies (inclusive). */
  readonly effectiveFrom: string;
  readonly rules: PlanRules;
}

/** The version whose effectiveFrom is the latest one at or before `at`; on a tie the higher version number wins. */
export function planInForce<V extends Pick<PlanVersion, "version" | "effectiveFrom">>(versions: readonly V[], at: string): V | null {
  const atMs = instant(at, "at");
  let best: V | null = null;
  let bestMs = Number.NEGATIVE_INFINITY;
  for (const candidate of versions) {
    const fromMs = instant(candidate.effectiveFrom, `version ${candidate.version} effectiveFrom`);
    if (fromMs > atMs) continue;
    if (best === null || fromMs > bestMs || (fromMs === bestMs && candidate.version > best.version)) {
      best = candidate;
      bestMs = fromMs;
    }
  }
  return best;
}

// Compared as instants, not strings: "2026-01-01T01:00:00+02:00" is before "2026-01-01T00:00:00Z".
function instant(text: string, what: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new RangeError(`${what}: "${text}" is not an ISO 8601 timestamp`);
  return ms;
}
