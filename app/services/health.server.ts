import type { Db } from "~/db.server";
import type { Redis } from "ioredis";

export interface DependencyHealth {
  status: "up" | "down";
  latencyMs: number;
  error?: string;
}

export interface Health {
  status: "ok" | "degraded";
  database: DependencyHealth;
  redis: DependencyHealth;
}

const CHECK_TIMEOUT_MS = 2_000;

async function timed(check: () => Promise<unknown>): Promise<DependencyHealth> {
  const started = performance.now();
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)),
    ]);
    return { status: "up", latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      status: "down",
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

export async function checkHealth(db: Db, redis: Redis): Promise<Health> {
  const [database, cache] = await Promise.all([timed(() => db.$queryRaw`SELECT 1`), timed(() => redis.ping())]);
  return { status: database.status === "up" && cache.status === "up" ? "ok" : "degraded", database, redis: cache };
}
