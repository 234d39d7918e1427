import { Redis, type RedisOptions } from "ioredis";

/**
 * BullMQ needs `maxRetriesPerRequest: null` on the connections its workers block on; commands from the web
 * process should fail fast instead, so an unreachable Redis never holds an ingest request open.
 */
export function createRedis(url: string, purpose: "worker" | "client"): Redis {
  const options: RedisOptions =
    purpose === "worker"
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 2_000 };
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
