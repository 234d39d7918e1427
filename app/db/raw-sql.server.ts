import type { Prisma } from "~/generated/prisma/client";

/**
 * What a service needs of a database client when all it runs is raw SQL: the one method Prisma's client and
 * its transactions already have. The read services the worker's fast path shares with the general path (the
 * uplines as of a time, a plan version's rules, the commission context) take this instead of a Prisma client,
 * so the fast path hands them a plain pg connection (pgRawSql in app/services/inbox/pg-sql.server.ts) with
 * nothing cast, and a later change that reaches for more of Prisma in them fails to compile instead of failing
 * on the worker at run time.
 *
 * Rows are the driver's. Prisma and pg decode text, uuid, int4, boolean and json alike; int8 and numeric come as
 * bigint from one and as string from the other, and timestamps differ in time zone handling: these services
 * select such columns as ::int or ::text, or read them through Number()/BigInt().
 */
export interface RawSqlClient {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<T>;
}
