import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrateDeploy } from "~/db/prisma-cli.server";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** A throwaway, migrated PostgreSQL database and a unique Redis prefix for one benchmark run. */
export async function scratchEnvironment(name: string) {
  const database = `upline_bench_${name}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  await migrateDeploy(url.toString());
  return {
    databaseUrl: url.toString(),
    redisPrefix: `upline-bench:${database}`,
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await client.end();
    },
  };
}
