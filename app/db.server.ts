import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { coreConfig } from "~/config.server";

export type Db = PrismaClient;

interface Database {
  prisma: PrismaClient;
  /** The same pool Prisma uses, for the few hot statements where Prisma's per-query work is measurable (ingest). */
  pool: pg.Pool;
}

/** Prisma over the pure-JS `pg` driver: no native query engine, so it runs offline and on any Node 22 build. */
export function createDatabase(databaseUrl: string, poolMax = 10): Database {
  // JIT off: the app's statements are short index walks; on the heaviest genealogy reads PostgreSQL's JIT spent
  // ~200 ms compiling a 20 ms query (bench/results/genealogy.json). Set at connection start-up, so it costs no
  // round trip. The embedded database (PGlite) has no JIT and is left as it is.
  const options = process.env.UPLINE_EMBEDDED_DATABASE === "1" ? undefined : "-c jit=off";
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolMax, options });
  pool.on("error", () => {}); // an idle client dropped by the server; the pool replaces it on next use
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  return { prisma, pool };
}

export function createPrismaClient(databaseUrl: string, poolMax = 10): PrismaClient {
  return createDatabase(databaseUrl, poolMax).prisma;
}

declare global {
  var __uplineDatabase: Database | undefined;
  var __uplinePrisma: PrismaClient | undefined;
}

function requireDatabaseUrl(): string {
  const { DATABASE_URL } = coreConfig();
  if (!DATABASE_URL) {
    throw new Error(
      "DATABASE_URL is not set. Start Upline with `npm start` or `npm run demo` (they provide the embedded database), or set DATABASE_URL to a PostgreSQL URL.",
    );
  }
  return DATABASE_URL;
}

// One database per process; kept on globalThis so Vite's dev reloads do not open a new pool on every edit.
function database(): Database {
  if (!globalThis.__uplineDatabase) {
    globalThis.__uplineDatabase = createDatabase(requireDatabaseUrl(), coreConfig().DATABASE_POOL_MAX);
    globalThis.__uplinePrisma = globalThis.__uplineDatabase.prisma;
  }
  return globalThis.__uplineDatabase;
}

export const db = (): PrismaClient => database().prisma;
export const pgPool = (): pg.Pool => database().pool;
