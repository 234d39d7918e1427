import pg from "pg";
import { ConfigError, type CoreConfig } from "./config.server";
import { assertRedisReachable, ServiceUnavailableError } from "./redis.server";

function describeDatabaseUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

export async function assertDatabaseReachable(url: string, timeoutMs = 3_000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    const reason = error instanceof Error ? error.message || error.name : String(error);
    throw new ServiceUnavailableError(
      `PostgreSQL is not reachable at ${describeDatabaseUrl(url)} (${reason}). Start PostgreSQL, or unset DATABASE_URL and use \`npm start\` / \`npm run demo\` for the embedded database.`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/** Both dependencies must answer before a process takes work; each failure is one line naming what to start. */
export async function preflight(config: CoreConfig): Promise<void> {
  if (!config.DATABASE_URL) {
    throw new ConfigError(
      "Configuration error: DATABASE_URL is not set. `npm start` and `npm run demo` provide the embedded database; run the web or worker process alone only with DATABASE_URL set.",
    );
  }
  await Promise.all([assertDatabaseReachable(config.DATABASE_URL), assertRedisReachable(config.REDIS_URL)]);
}

/** Prints the one clear line and exits non-zero; anything unexpected keeps its stack for debugging. */
export function exitOnStartupError(error: unknown): never {
  if (error instanceof ConfigError || error instanceof ServiceUnavailableError) {
    process.stderr.write(`upline: ${error.message}\n`);
  } else {
    process.stderr.write(`upline: start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
}
