import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/** The server the integration tests use: TEST_DATABASE_URL, else the local PostgreSQL every dev machine runs. */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Template name changes whenever a migration does, so a stale template is never reused. */
export function templateDatabaseName(): string {
  const dir = path.resolve("prisma", "migrations");
  const hash = createHash("sha256");
  for (const entry of readdirSync(dir).sort()) {
    const file = path.join(dir, entry, "migration.sql");
    try {
      hash.update(entry).update(readFileSync(file));
    } catch {
      // migration_lock.toml and stray files carry no schema
    }
  }
  return `upline_test_template_${hash.digest("hex").slice(0, 12)}`;
}

export async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
