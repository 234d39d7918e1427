import { Redis, type RedisOptions } from "ioredis";

/**
 * BullMQ needs `maxRetriesPerRequest: null` on the connections its workers block on; commands from the web
 * process should fail fast instead, so an unreachable Redis never holds an ingest request open.
 *
 * No `commandTimeout` on the web's connection: its clock runs while the process's own event loop is stalled
 * (a CPU-starved start-up spent 2.6 s in one synchronous import), so a reply already waiting in the socket is
 * declared lost. BullMQ runs one INFO when a queue starts and keeps that result for the queue's life: one such
 * spurious timeout made every later enqueue fail, and orders waited for the sweeper (issue 4). Callers bound
 * their own waits instead (the enqueue and the health check race a timer); a down connection still fails at
 * once (no offline queue).
 */
export function createRedis(url: string, purpose: "worker" | "client"): Redis {
  const options: RedisOptions =
    purpose === "worker"
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 };
  return new Redis(url, options);
}

export class ServiceUnavailableError extends Error {
  override name = "ServiceUnavailableError";
}

function describeRedisUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname}:${parsed.port || 6379}`;
}

/** One PING with no retries; the error names the URL and says how to start Redis. */
export async function assertRedisReachable(url: string, timeoutMs = 2_000): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  probe.on("error", () => {});
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServiceUnavailableError(
      `Redis is not reachable at ${describeRedisUrl(url)} (${reason}). Start Redis (e.g. \`redis-server --daemonize yes\`) or set REDIS_URL.`,
    );
  } finally {
    probe.disconnect();
  }
}
