/**
 * The one way Upline calls the Shopify Admin GraphQL API (backfill, catalog, store credit). It:
 *   - authenticates with the shop's offline access token, read through refreshedOfflineAccessToken (the library
 *     refreshes an expiring offline token within five minutes of its end and stores the new pair), so a worker
 *     an hour after install still has a valid token;
 *   - posts to SHOPIFY_ADMIN_API_URL, a template with {shop} and {version} (default
 *     https://{shop}/admin/api/{version}/graphql.json), so tests and benchmarks point it at a local fake;
 *   - spends the app+shop bucket with care: it remembers each shop's last throttleStatus and each query's
 *     requestedQueryCost, and waits for the deficit before sending a query the bucket cannot afford yet;
 *   - retries what Shopify did not execute: a THROTTLED answer (after the wait it asks for), HTTP 429 (after
 *     Retry-After), and, for queries only, 5xx answers and network errors with capped exponential backoff. A
 *     mutation whose answer was lost may have run: that is reported (AdminApiUnavailableError, `outcomeUnknown`)
 *     for the caller to reconcile, never retried blindly;
 *   - reports 401/403 (AdminApiAuthError), GraphQL errors (AdminApiGraphqlError) and mutation userErrors
 *     (AdminApiUserErrors, via `userErrorsOf`) by name, with Shopify's messages.
 */
import {
  afterSpending,
  readQueryCost,
  retryDelayMs,
  throttledWaitMs,
  waitBeforeSpending,
  type BackoffPolicy,
  type QueryCost,
  type ThrottleStatus,
} from "~/domain/shopify-admin/query-cost";
import { logger } from "~/logger.server";
import { adminThrottleWaits } from "~/services/metrics/metrics.server";

/** The Admin API version of every call: the one shopify.server.ts gives the Shopify library (ApiVersion.October26). */
export const ADMIN_API_VERSION = "2026-10";
export const DEFAULT_ADMIN_API_URL = "https://{shop}/admin/api/{version}/graphql.json";

export class AdminApiError extends Error {
  override name = "AdminApiError";
  constructor(
    message: string,
    readonly shop: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

/** 401/403: no session, a revoked or expired token, or a scope the shop has not granted. Retrying cannot help. */
export class AdminApiAuthError extends AdminApiError {
  override name = "AdminApiAuthError";
}

/** Shopify answered with GraphQL `errors` that are not throttling (a bad query, a missing field, MAX_COST_EXCEEDED). */
export class AdminApiGraphqlError extends AdminApiError {
  override name = "AdminApiGraphqlError";
  constructor(
    message: string,
    shop: string,
    readonly errors: readonly unknown[],
  ) {
    super(message, shop, 200);
  }
}

/** A mutation ran and refused its input: `userErrors` as Shopify listed them. */
export class AdminApiUserErrors extends AdminApiError {
  override name = "AdminApiUserErrors";
  constructor(
    readonly mutation: string,
    shop: string,
    readonly userErrors: readonly UserError[],
  ) {
    super(
      `${mutation}: ${userErrors.map((e) => `${e.code ? `${e.code}: ` : ""}${e.message}${e.field?.length ? ` (${e.field.join(".")})` : ""}`).join("; ")}`,
      shop,
      200,
    );
  }
}

/** Shopify could not be reached or kept failing; `outcomeUnknown` when a mutation may have run. */
export class AdminApiUnavailableError extends AdminApiError {
  override name = "AdminApiUnavailableError";
  constructor(
    message: string,
    shop: string,
    status: number | null,
    readonly outcomeUnknown: boolean,
  ) {
    super(message, shop, status);
  }
}

export interface UserError {
  readonly code?: string | null;
  readonly field?: readonly string[] | null;
  readonly message: string;
}

export interface AdminClientSettings {
  /** SHOPIFY_ADMIN_API_URL; null for the default. */
  readonly apiUrl?: string | null;
  readonly apiVersion?: string;
  /** The shop's offline access token, or null when the app has no session for it. */
  readonly accessToken?: (shop: string) => Promise<string | null>;
  readonly timeoutMs?: number;
  /** Attempts per call, the first included. */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffPolicy;
  /** A query's cost before its first answer tells the real one (Shopify's single-query maximum is 1,000). */
  readonly defaultCost?: number;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly random?: () => number;
}

export interface GraphqlResult<T> {
  readonly data: T;
  readonly cost: QueryCost | null;
  /** Retries this call needed (throttled, 429, 5xx). */
  readonly retries: number;
}

interface Bucket {
  status: ThrottleStatus;
  observedAt: number;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The shop's offline access token, refreshed when it is about to expire (offline-token.server.ts). Loaded on first
 * use: it brings in the Shopify library's app (app/shopify.server.ts, which needs SHOPIFY_API_KEY/SECRET, the
 * refresh's client credentials), and a process that never calls Shopify should not need those.
 */
export async function offlineAccessToken(shop: string): Promise<string | null> {
  const { refreshedOfflineAccessToken } = await import("./offline-token.server");
  return refreshedOfflineAccessToken(shop);
}

export function adminApiUrl(template: string | null | undefined, shop: string, version: string): string {
  return (template || DEFAULT_ADMIN_API_URL).replaceAll("{shop}", encodeURIComponent(shop)).replaceAll("{version}", version);
}

const isMutation = (query: string) => /^\s*mutation\b/.test(query.replace(/^\s*#.*$/gm, ""));

export class ShopifyAdminClient {
  private readonly buckets = new Map<string, Bucket>();
  /** The last requestedQueryCost seen per query text: what the next run of that query will likely cost. */
  private readonly costs = new Map<string, number>();
  private readonly settings: Required<Omit<AdminClientSettings, "apiUrl">> & { apiUrl: string | null };

  constructor(settings: AdminClientSettings = {}) {
    this.settings = {
      apiUrl: settings.apiUrl ?? null,
      apiVersion: settings.apiVersion ?? ADMIN_API_VERSION,
      accessToken: settings.accessToken ?? offlineAccessToken,
      timeoutMs: settings.timeoutMs ?? 30_000,
      maxAttempts: settings.maxAttempts ?? 6,
      backoff: settings.backoff ?? { baseMs: 500, maxMs: 30_000 },
      defaultCost: settings.defaultCost ?? 50,
      fetch: settings.fetch ?? ((input, init) => fetch(input, init)),
      sleep: settings.sleep ?? sleepFor,
      now: settings.now ?? Date.now,
      random: settings.random ?? Math.random,
    };
  }

  /** The bucket as last observed for the shop (tests, metrics). */
  throttleStatus(shop: string): ThrottleStatus | null {
    return this.buckets.get(shop)?.status ?? null;
  }

  async graphql<T = Record<string, unknown>>(shop: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResult<T>> {
    const { settings } = this;
    const token = await settings.accessToken(shop);
    if (!token) throw new AdminApiAuthError(`no offline Admin API session for ${shop}: the app must be installed (or re-authenticated)`, shop, 401);
    const url = adminApiUrl(settings.apiUrl, shop, settings.apiVersion);
    const mutation = isMutation(query);
    const expectedCost = this.costs.get(query) ?? settings.defaultCost;
    let retries = 0;

    for (let attempt = 1; ; attempt++) {
      await this.waitForBucket(shop, expectedCost);
      const sentAt = settings.now();
      const bucket = this.buckets.get(shop);
      if (bucket) this.buckets.set(shop, { status: afterSpending(bucket.status, bucket.observedAt, sentAt, expectedCost), observedAt: sentAt });

      let response: Response;
      try {
        response = await settings.fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-Shopify-Access-Token": token },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(settings.timeoutMs),
        });
      } catch (error) {
        const reason = `${error instanceof Error ? error.name : "error"} calling the Admin API`;
        if (mutation) throw new AdminApiUnavailableError(`${shop}: ${reason}; the mutation may have run`, shop, null, true);
        if (attempt >= settings.maxAttempts) throw new AdminApiUnavailableError(`${shop}: ${reason} (${attempt} attempts)`, shop, null, false);
        retries++;
        await settings.sleep(retryDelayMs(attempt, settings.backoff, settings.random()));
        continue;
      }

      if (response.status === 401 || response.status === 403) {
        throw new AdminApiAuthError(`${shop}: the Admin API answered ${response.status} (${(await response.text()).slice(0, 200)})`, shop, response.status);
      }
      if (response.status === 429 || response.status >= 500) {
        const retryAfter = response.headers.get("retry-after");
        await response.body?.cancel();
        // A 429 is refused before execution; a 5xx on a mutation may not be.
        if (response.status >= 500 && mutation)
          throw new AdminApiUnavailableError(`${shop}: the Admin API answered ${response.status}; the mutation may have run`, shop, response.status, true);
        if (attempt >= settings.maxAttempts)
          throw new AdminApiUnavailableError(`${shop}: the Admin API answered ${response.status} (${attempt} attempts)`, shop, response.status, false);
        retries++;
        const wait = retryDelayMs(attempt, settings.backoff, settings.random(), retryAfter, settings.now());
        if (response.status === 429) adminThrottleWaits.inc({ reason: "http_429" });
        await settings.sleep(wait);
        continue;
      }

      const text = await response.text();
      let body: { data?: T | null; errors?: unknown; extensions?: unknown };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new AdminApiError(`${shop}: the Admin API answered ${response.status} with a body that is not JSON`, shop, response.status);
      }
      if (!response.ok) {
        throw new AdminApiError(
          `${shop}: the Admin API answered ${response.status}: ${JSON.stringify(body.errors ?? body).slice(0, 300)}`,
          shop,
          response.status,
        );
      }
      const cost = readQueryCost(body.extensions);
      this.observe(shop, query, cost);

      const errors = Array.isArray(body.errors) ? (body.errors as { message?: string; extensions?: { code?: string } }[]) : [];
      if (errors.some((error) => error.extensions?.code === "THROTTLED")) {
        // Refused before execution, mutation or not: wait until the query fits, then send it again.
        if (attempt >= settings.maxAttempts) throw new AdminApiUnavailableError(`${shop}: still throttled after ${attempt} attempts`, shop, 200, false);
        retries++;
        adminThrottleWaits.inc({ reason: "throttled" });
        const wait = throttledWaitMs(cost, expectedCost);
        logger.debug({ shop, wait, cost }, "Admin API throttled; waiting for the bucket");
        await settings.sleep(wait);
        continue;
      }
      if (errors.length > 0) {
        throw new AdminApiGraphqlError(
          `${shop}: ${errors
            .map((error) => error.message ?? JSON.stringify(error))
            .join("; ")
            .slice(0, 500)}`,
          shop,
          errors,
        );
      }
      return { data: (body.data ?? {}) as T, cost, retries };
    }
  }

  private observe(shop: string, query: string, cost: QueryCost | null) {
    if (!cost) return;
    if (cost.requestedQueryCost !== null) this.costs.set(query, cost.requestedQueryCost);
    if (cost.throttleStatus) this.buckets.set(shop, { status: cost.throttleStatus, observedAt: this.settings.now() });
  }

  private async waitForBucket(shop: string, cost: number) {
    const bucket = this.buckets.get(shop);
    if (!bucket) return;
    const wait = waitBeforeSpending(bucket.status, bucket.observedAt, this.settings.now(), cost);
    if (wait > 0) {
      adminThrottleWaits.inc({ reason: "bucket" });
      await this.settings.sleep(wait);
    }
  }
}

/** A mutation payload's userErrors, thrown by name when there are any. */
export function assertNoUserErrors(mutation: string, shop: string, payload: { userErrors?: readonly UserError[] | null } | null | undefined) {
  const userErrors = payload?.userErrors ?? [];
  if (userErrors.length > 0) throw new AdminApiUserErrors(mutation, shop, userErrors);
}

let shared: ShopifyAdminClient | undefined;

/** The process's client, configured from the environment when first used (SHOPIFY_ADMIN_API_URL). */
export function adminClient(env: Record<string, string | undefined> = process.env): ShopifyAdminClient {
  shared ??= new ShopifyAdminClient({ apiUrl: adminApiUrlFromEnv(env), timeoutMs: Number(env.SHOPIFY_ADMIN_API_TIMEOUT_MS ?? 30_000) });
  return shared;
}

/** SHOPIFY_ADMIN_API_URL, or the older SHOPIFY_ADMIN_BASE_URL (a base, to which the standard path is added). */
export function adminApiUrlFromEnv(env: Record<string, string | undefined>): string | null {
  if (env.SHOPIFY_ADMIN_API_URL) return env.SHOPIFY_ADMIN_API_URL;
  if (env.SHOPIFY_ADMIN_BASE_URL) return `${env.SHOPIFY_ADMIN_BASE_URL.replace(/\/$/, "")}/admin/api/{version}/graphql.json`;
  return null;
}
