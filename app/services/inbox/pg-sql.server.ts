/**
 * Prisma.Sql statements run on a plain pg client, for the worker's hot path (one paid order from inbox to
 * ledger). Prisma compiles every query, raw ones included, in its WASM query compiler: that compile step and
 * its interactive-transaction plumbing were half the worker's CPU per order. The statements stay written with
 * Prisma.sql (the same templates the rest of the code uses); only the driver underneath changes.
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import { Prisma } from "~/generated/prisma/client";
import type { Tx } from "~/db/tx.server";

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
 * A stand-in for a Prisma transaction client, over `client`, offering only `$queryRaw` and `$executeRaw`: for
 * the shared services the hot path calls that speak raw SQL only (genealogy's uplineAt and placementUplineAt,
 * the plan rules lookup). Anything else throws at once, which the integration tests would show.
 * Result rows are pg's: json parsed, int4 numbers, int8 and numeric as strings; those services read neither
 * int8 nor timestamp columns.
 */
export function rawSqlTx(client: pg.ClientBase): Tx {
  const statement = (first: TemplateStringsArray | Prisma.Sql, values: unknown[]) =>
    first instanceof Prisma.Sql ? first : Prisma.sql(first, ...values);
  const raw = {
    $queryRaw: (first: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => sqlRows(client, statement(first, values)),
    $executeRaw: async (first: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
      const sql = statement(first, values);
      const result = await client.query(sql.text, sql.values.map(toPgValue));
      return result.rowCount ?? 0;
    },
  };
  return new Proxy(raw, {
    get(target, property) {
      if (property in target) return target[property as keyof typeof target];
      if (property === "then") return undefined; // not a thenable
      throw new TypeError(`rawSqlTx offers only $queryRaw and $executeRaw; ${String(property)} was asked for`);
    },
  }) as unknown as Tx;
}
