import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { coreConfig } from "~/config.server";

export type Db = PrismaClient;

/** Prisma over the pure-JS `pg` driver: no native query engine, so it runs offline and on any Node 22 build. */
export function createPrismaClient(databaseUrl: string, poolMax = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolMax }) });
}

declare global {
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

// One client per process; kept on globalThis so Vite's dev reloads do not open a new pool on every edit.
export function db(): PrismaClient {
  globalThis.__uplinePrisma ??= createPrismaClient(requireDatabaseUrl(), coreConfig().DATABASE_POOL_MAX);
  return globalThis.__uplinePrisma;
}
