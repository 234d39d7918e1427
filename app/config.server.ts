import { z } from "zod";

/**
 * Every environment variable Upline reads, validated once. A missing or malformed variable stops start-up
 * with a message naming it, instead of failing later in a request.
 */

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`,
    );

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A URL template with {shop} and {version} placeholders (they may be left out: a fake serves every shop). */
const urlTemplate = z
  .string()
  .trim()
  .refine((value) => {
    try {
      return ["http:", "https:"].includes(new URL(value.replaceAll("{shop}", "shop.myshopify.com").replaceAll("{version}", "2026-10")).protocol);
    } catch {
      return false;
    }
  }, "must be an http:// or https:// URL, optionally with {shop} and {version}");

const shopifySchema = z.object({
  SHOPIFY_API_KEY: z.string().min(1),
  SHOPIFY_API_SECRET: z.string().min(1),
  SHOPIFY_APP_URL: optionalUrl(["http:", "https:"]),
  SCOPES: z
    .string()
    .default(
      "read_orders,read_customers,read_products,write_app_proxy,write_discounts,read_store_credit_account_transactions,write_store_credit_account_transactions",
    ),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
});

const coreSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: optionalUrl(["postgres:", "postgresql:"]),
  DATABASE_POOL_MAX: positiveInt(10),
  REDIS_URL: optionalUrl(["redis:", "rediss:"]).default("redis://127.0.0.1:6379"),
  /** Prefix of every BullMQ key, so several deployments or test files can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]+$/)
    .default("upline"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Largest webhook body accepted; Shopify orders with hundreds of lines stay well below 1 MiB. */
  INGEST_MAX_BODY_BYTES: positiveInt(1024 * 1024),
  WORKER_CONCURRENCY: positiveInt(8),
  SWEEPER_INTERVAL_MS: positiveInt(30_000),
  /** How long an inbox row may stay pending before the sweeper hands it to the queue again. */
  SWEEPER_STALE_AFTER_MS: positiveInt(60_000),
  JOB_ATTEMPTS: positiveInt(8),
  /** How long a claimed inbox row is left to its attempt before another attempt may claim it (a killed worker's). */
  INBOX_LEASE_MS: positiveInt(30_000),
  /** BullMQ's job lock and stall check (its defaults): a killed worker's job is handed on within about twice this. */
  WORKER_LOCK_DURATION_MS: positiveInt(30_000),
  WORKER_STALLED_INTERVAL_MS: positiveInt(30_000),
  /** How often each worker checks that the repeatable jobs exist (one cheap count) and declares them again when
   * some are missing, so a Redis flush loses them for at most this long. */
  SCHEDULE_REASSERT_MS: positiveInt(5_000),
  /** Where a worker process serves Prometheus metrics (GET /metrics); unset: not served. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /**
   * The Shopify Admin GraphQL endpoint every Admin API call uses (app/services/shopify/admin-client.server.ts);
   * unset: https://{shop}/admin/api/{version}/graphql.json. Tests and benchmarks point it at a local fake.
   */
  SHOPIFY_ADMIN_API_URL: urlTemplate.optional(),
  /** How long one Admin API request may take before it counts as failed (and, for a query, is retried). */
  SHOPIFY_ADMIN_API_TIMEOUT_MS: positiveInt(30_000),
  /** Cutoff grace: the repeatable close leaves a period open this long after its end, for late deliveries. */
  PERIOD_CLOSE_GRACE_MS: z.coerce.number().int().min(0).default(0),
});

export type CoreConfig = z.infer<typeof coreSchema>;
export type ShopifyConfig = z.infer<typeof shopifySchema>;
export type Config = CoreConfig & ShopifyConfig;

export class ConfigError extends Error {
  override name = "ConfigError";
}

function describeIssues(error: z.ZodError, env: Record<string, string | undefined>): string {
  return error.issues
    .map((issue) => {
      const variable = issue.path.join(".");
      return !env[variable] ? `${variable} is not set` : `${variable} is invalid: ${issue.message}`;
    })
    .join("; ");
}

function parse<T extends z.ZodType>(schema: T, env: Record<string, string | undefined>): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(`Configuration error: ${describeIssues(result.error, env)}`);
  return result.data;
}

/** What workers and scripts need: database, Redis, limits. */
export function readCoreConfig(env: Record<string, string | undefined> = process.env): CoreConfig {
  return parse(coreSchema, env);
}

/** What the web app needs on top: the Shopify app credentials. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return { ...readCoreConfig(env), ...parse(shopifySchema, env) };
}

let cached: Config | undefined;
export function config(): Config {
  cached ??= readConfig();
  return cached;
}

let cachedCore: CoreConfig | undefined;
export function coreConfig(): CoreConfig {
  cachedCore ??= readCoreConfig();
  return cachedCore;
}
