import type { Db } from "~/db.server";
import type { Redis } from "ioredis";
import { logger } from "~/logger.server";

/**
 * Up or down and how long the check took, nothing more: /healthz answers anyone, and an error's text names
 * internals (database host and port, user). The reason goes to the log.
 */
export interface DependencyHealth {
  status: "up" | "down";
  latencyMs: number;
}

export interface Health {
  status: "ok" | "degraded";
  database: DependencyHealth;
  redis: DependencyHealth;
}

const CHECK_TIMEOUT_MS = 2_000;

async function timed(dependency: string, check: () => Promise<unknown>): Promise<DependencyHealth> {
  const started = performance.now();
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS))]);
    return { status: "up", latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    logger.warn({ dependency, err: error instanceof Error ? error.message : String(error) }, "health check: dependency down");
    return { status: "down", latencyMs: Math.round(performance.now() - started) };
  }
}

export async function checkHealth(db: Db, redis: Redis): Promise<Health> {
  const [database, cache] = await Promise.all([timed("database", () => db.$queryRaw`SELECT 1`), timed("redis", () => redis.ping())]);
  return { status: database.status === "up" && cache.status === "up" ? "ok" : "degraded", database, redis: cache };
}
