/**
 * The arithmetic of Shopify's calculated query cost (GraphQL Admin API rate limits): every response carries
 * `extensions.cost` with the query's requestedQueryCost, its actualQueryCost, and the app+shop bucket's
 * throttleStatus { maximumAvailable, currentlyAvailable, restoreRate }. The bucket refills continuously at
 * restoreRate points per second (a leaky bucket), so the wait before a query is its deficit over that rate.
 * Pure: times are passed in, jitter too.
 */

export interface ThrottleStatus {
  readonly maximumAvailable: number;
  readonly currentlyAvailable: number;
  readonly restoreRate: number;
}

export interface QueryCost {
  readonly requestedQueryCost: number | null;
  readonly actualQueryCost: number | null;
  readonly throttleStatus: ThrottleStatus | null;
}

const finite = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

/** `extensions.cost` of a response body, or null when it has none (a 5xx page, a proxy's error). */
export function readQueryCost(extensions: unknown): QueryCost | null {
  const cost = (extensions as { cost?: Record<string, unknown> } | null | undefined)?.cost;
  if (!cost || typeof cost !== "object") return null;
  const status = cost.throttleStatus as Record<string, unknown> | undefined;
  const maximumAvailable = finite(status?.maximumAvailable);
  const currentlyAvailable = finite(status?.currentlyAvailable);
  const restoreRate = finite(status?.restoreRate);
  return {
    requestedQueryCost: finite(cost.requestedQueryCost),
    actualQueryCost: finite(cost.actualQueryCost),
    throttleStatus:
      maximumAvailable !== null && currentlyAvailable !== null && restoreRate !== null && restoreRate > 0
        ? { maximumAvailable, currentlyAvailable, restoreRate }
        : null,
  };
}

/** Points in the bucket at `nowMs`, given what a response observed at `observedAtMs`. */
export function availableAt(status: ThrottleStatus, observedAtMs: number, nowMs: number): number {
  const refilled = status.currentlyAvailable + (status.restoreRate * Math.max(0, nowMs - observedAtMs)) / 1_000;
  return Math.min(status.maximumAvailable, refilled);
}

/**
 * How long to wait before sending a query expected to cost `cost` points, so Shopify does not throttle it.
 * A cost above the whole bucket can never be afforded by waiting: it is sent at once (Shopify refuses it with a
 * message the caller then reports) rather than waited on forever.
 */
export function waitBeforeSpending(status: ThrottleStatus, observedAtMs: number, nowMs: number, cost: number): number {
  if (cost > status.maximumAvailable) return 0;
  const deficit = cost - availableAt(status, observedAtMs, nowMs);
  return deficit <= 0 ? 0 : Math.ceil((deficit * 1_000) / status.restoreRate);
}

/** The bucket after spending `cost` points at `nowMs` (before the answer tells the real figure). */
export function afterSpending(status: ThrottleStatus, observedAtMs: number, nowMs: number, cost: number): ThrottleStatus {
  return { ...status, currentlyAvailable: availableAt(status, observedAtMs, nowMs) - cost };
}

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * The wait before retry number `attempt` (1 for the first retry): the server's Retry-After when it gave one
 * (seconds, or an HTTP date), else exponential from baseMs, capped at maxMs, with `jitter` in [0, 1) taking up
 * to half of it away so many workers do not retry in step.
 */
export function retryDelayMs(attempt: number, policy: BackoffPolicy, jitter: number, retryAfter: string | null = null, nowMs = 0): number {
  const fromHeader = retryAfterMs(retryAfter, nowMs);
  if (fromHeader !== null) return Math.min(fromHeader, policy.maxMs);
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (1 - Math.min(Math.max(jitter, 0), 0.999) / 2));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function retryAfterMs(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === "") return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1_000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/**
 * The wait a THROTTLED answer asks for: the deficit of the query it refused, at the restore rate; when the
 * answer carries no cost, one second (the bucket refills at least restoreRate points in that time).
 */
export function throttledWaitMs(cost: QueryCost | null, fallbackCost: number): number {
  const status = cost?.throttleStatus;
  if (!status) return 1_000;
  const wanted = cost.requestedQueryCost ?? fallbackCost;
  const deficit = Math.min(wanted, status.maximumAvailable) - status.currentlyAvailable;
  return Math.max(250, Math.ceil((Math.max(0, deficit) * 1_000) / status.restoreRate));
}
