import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { randomUUID } from "node:crypto";

/**
 * The driver adapter Prisma's JS schema engine uses for `migrate deploy` and `migrate diff`.
 * Three fixes over the stock PrismaPg, each found by running the CLI offline against PostgreSQL 15 and PGlite.
 */

const CATALOG_TYPES_READ_AS_TEXT = new Set([18 /* "char" */, 19 /* name */]);
const TEXT_OID = 25;

type QueryResultLike = { fields?: { dataTypeID: number }[] } | undefined;

function readCatalogTypesAsText<T extends QueryResultLike>(result: T): T {
  for (const field of result?.fields ?? []) {
    if (CATALOG_TYPES_READ_AS_TEXT.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
  }
  return result;
}

// 1. The JS schema engine cannot deserialize catalog columns of type `name` and `"char"`: report them as text.
class CatalogTextClient extends pg.Client {
  override query(...args: unknown[]): never {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args[args.length - 1] = (error: unknown, result: QueryResultLike) =>
        (last as (e: unknown, r: QueryResultLike) => void)(error, error ? result : readCatalogTypesAsText(result));
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) return result.then(readCatalogTypesAsText) as never;
    return result as never;
  }
}

// 2. The adapter derives the shadow database by overriding `database`, which a connectionString silently wins over:
// pass discrete fields instead.
function poolConfig(url: string, database?: string): pg.PoolConfig {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username) || "postgres",
    password: decodeURIComponent(parsed.password),
    database: database ?? (parsed.pathname.slice(1) || "postgres"),
    Client: CatalogTextClient,
  } as pg.PoolConfig;
}

// 3. The stock shadow database is dropped before its pool closes ("being accessed by other users"): close, then drop.
class MigrationPg extends PrismaPg {
  constructor(private readonly url: string) {
    super(poolConfig(url));
  }

  override async connectToShadowDb() {
    const admin = await this.connect();
    const name = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
    await admin.executeScript(`CREATE DATABASE "${name}"`);
    const shadow = await new PrismaPg(poolConfig(this.url, name)).connect();
    const disposeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await disposeShadow();
      await admin.executeScript(`DROP DATABASE "${name}"`);
      await admin.dispose();
    };
    return shadow;
  }
}

export function migrationAdapter(url: string) {
  return new MigrationPg(url);
}
