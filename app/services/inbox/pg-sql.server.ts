/**
 * Prisma.Sql statements run on a plain pg client, for the worker's hot path (one paid order from inbox to
 * ledger). Prisma compiles every query, raw ones included, in its WASM query compiler: that compile step and
 * its interactive-transaction plumbing were half the worker's CPU per order. The statements stay written with
 * Prisma.sql (the same templates the rest of the code uses); only the driver underneath changes.
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import { Prisma } from "~/generated/prisma/client";
import type { RawSqlClient } from "~/db/raw-sql.server";

/**
 * Parameters as Prisma sends them: dates as ISO 8601 UTC (pg's default would send local time with an offset,
 * which a `timestamp` column silently drops), bigints as exact decimal strings.
 */
function toPgValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(toPgValue);
  return value;
}

// PGlite (the embedded default) is one session shared by every connection, where a statement name prepared by
// one connection collides with the next; there statements go unnamed (as in app/services/ingest/inbox.server.ts).
const NAMED = process.env.UPLINE_EMBEDDED_DATABASE !== "1";

/**
 * Runs `sql` and returns its rows. Each distinct statement text is prepared once per connection under a name
 * derived from the text, so PostgreSQL parses it once, not on every order.
 */
export async function sqlRows<T>(client: pg.ClientBase | pg.Pool, sql: Prisma.Sql): Promise<T[]> {
  const text = sql.text;
  const name = NAMED ? `upline_${createHash("sha1").update(text).digest("base64url").slice(0, 20)}` : undefined;
  const result = await client.query<T & pg.QueryResultRow>({ name, text, values: sql.values.map(toPgValue) });
  return result.rows;
}

/**
 * The RawSqlClient (app/db/raw-sql.server.ts) over `client`: what the read services the fast path shares with
 * the general path need (genealogy's uplineAt and placementUplineAt, the plan rules lookup), and nothing else,
 * so a change that makes one of them need more does not compile. Rows are pg's (see RawSqlClient).
 */
export function pgRawSql(client: pg.ClientBase): RawSqlClient {
  return {
    $queryRaw: <T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) =>
      sqlRows(client, query instanceof Prisma.Sql ? query : Prisma.sql(query, ...values)) as Promise<T>,
  };
}
