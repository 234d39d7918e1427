import type { Db } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";

export type Tx = Prisma.TransactionClient;
/** The Prisma client, or the transaction a caller is already in (the ingest hooks pass theirs). */
export type DbOrTx = Db | Tx;

/**
 * Runs `work` in the caller's transaction when given one, else in a new one, so a service composes into a
 * larger unit of work (one order's ingest) and still stands alone (a seed script, an admin action).
 */
export function inTransaction<T>(client: DbOrTx, work: (tx: Tx) => Promise<T>): Promise<T> {
  if ("$transaction" in client) return client.$transaction((tx) => work(tx));
  return work(client);
}
