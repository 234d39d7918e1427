/**
 * The Commission row: one per order, written once (insert-or-skip on (shop, order)) together with its ledger
 * transactions, and locked whenever a reversal or a hold release works from it so those happen one at a time
 * per order.
 */
import { NOTHING_REVERSED, type ReversalProgress } from "~/domain/engine";
import type { LedgerTransactionDraft } from "~/domain/ledger";
import { Prisma } from "~/generated/prisma/client";
import type { Tx } from "~/db/tx.server";
import { INSERTED_KINDS, ledgerWriteCtes } from "~/services/ledger/post.server";
import { countLedgerTransactions } from "~/services/metrics/metrics.server";

export type CommissionOutcome = "evaluated" | "no_plan" | "no_catalog" | "invalid_input";

export interface NewCommission {
  readonly shopId: string;
  readonly orderId: string;
  readonly outcome: CommissionOutcome;
  readonly planVersionId: string | null;
  readonly attributedDistributorId: string | null;
  readonly attributionSource: string | null;
  readonly attributionCode: string | null;
  readonly attributionReason: string | null;
  readonly currency: string;
  readonly orderedAt: Date;
  readonly paidMinor: bigint;
  readonly breakageMinor: bigint;
  readonly flagTypes: readonly string[];
  /** JSON text (bigints already strings). */
  readonly flagsJson: string;
  readonly evaluation: string | null;
  readonly error: string | null;
  readonly heldUntil: Date;
}

/**
 * The order's Commission row and its ledger transactions, in one statement: the row is inserted or skipped on
 * (shop, order), and the ledger is written only when this statement inserted the row. Returns the new row's id,
 * or null when the order already had one (another delivery or worker got there first): then nothing is posted.
 */
export async function insertCommissionAndPost(
  tx: Tx,
  row: NewCommission,
  drafts: readonly LedgerTransactionDraft[],
): Promise<{ commissionId: string | null; transactions: number }> {
  const [result] = await tx.$queryRaw<{ commissionId: string | null; transactions: number; insertedKinds: Record<string, number> }[]>(
    commissionAndPostSql(row, drafts),
  );
  countLedgerTransactions(result?.insertedKinds);
  return { commissionId: result?.commissionId ?? null, transactions: result?.transactions ?? 0 };
}

/**
 * insertCommissionAndPost's statement, returning one row (commissionId, transactions, insertedKinds). `alsoCtes`, more
 * data-modifying CTEs ending in a comma, lets a caller fold other writes of the same transaction into this
 * round trip (the worker marks its inbox row processed here).
 */
export function commissionAndPostSql(row: NewCommission, drafts: readonly LedgerTransactionDraft[], alsoCtes: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    WITH ${alsoCtes} commission AS (
      INSERT INTO "Commission" ("shopId", "orderId", "outcome", "planVersionId", "attributedDistributorId", "attributionSource",
        "attributionCode", "attributionReason", "currency", "orderedAt", "paidMinor", "breakageMinor", "flagTypes", "flags", "evaluation", "error", "heldUntil")
      VALUES (${row.shopId}::uuid, ${row.orderId}::uuid, ${row.outcome}::"CommissionOutcome", ${row.planVersionId}::uuid,
        ${row.attributedDistributorId}::uuid, ${row.attributionSource}, ${row.attributionCode}, ${row.attributionReason}, ${row.currency}, ${row.orderedAt},
        ${row.paidMinor}, ${row.breakageMinor}, ${[...row.flagTypes]}::text[], ${row.flagsJson}::jsonb, ${row.evaluation}, ${row.error},
        ${row.heldUntil})
      ON CONFLICT ("shopId", "orderId") DO NOTHING
      RETURNING "id"
    ),
    ${ledgerWriteCtes(row.shopId, drafts, Prisma.sql`EXISTS (SELECT 1 FROM commission)`)}
    SELECT (SELECT "id" FROM commission) AS "commissionId", (SELECT count(*) FROM inserted)::int AS transactions, ${INSERTED_KINDS}`;
}

/**
 * Locks the Order row, the per-order mutex every commission write takes first (see order-input.server.ts);
 * false when the order is not in the shop.
 */
export async function lockOrder(tx: Tx, shopId: string, orderId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Order" WHERE "id" = ${orderId}::uuid AND "shopId" = ${shopId}::uuid FOR UPDATE`;
  return rows.length > 0;
}

export interface LockedCommission {
  readonly id: string;
  readonly outcome: CommissionOutcome;
  readonly evaluation: string | null;
  readonly releasedAt: Date | null;
}

/** The order's Commission row, locked until the caller's transaction ends; null if it has none. */
export async function lockCommissionOfOrder(tx: Tx, shopId: string, orderId: string): Promise<LockedCommission | null> {
  const rows = await tx.$queryRaw<LockedCommission[]>`
    SELECT "id", "outcome"::text AS outcome, "evaluation", "releasedAt" FROM "Commission"
    WHERE "shopId" = ${shopId}::uuid AND "orderId" = ${orderId}::uuid
    FOR UPDATE`;
  return rows[0] ?? null;
}

export async function lockCommission(tx: Tx, shopId: string, commissionId: string): Promise<(LockedCommission & { orderId: string }) | null> {
  const rows = await tx.$queryRaw<(LockedCommission & { orderId: string })[]>`
    SELECT "id", "orderId", "outcome"::text AS outcome, "evaluation", "releasedAt" FROM "Commission"
    WHERE "shopId" = ${shopId}::uuid AND "id" = ${commissionId}::uuid
    FOR UPDATE`;
  return rows[0] ?? null;
}

/** Where the next reversal of an order starts: the progress stored with the latest one, and its number. */
export async function latestReversalProgress(tx: Tx, shopId: string, commissionId: string): Promise<{ sequence: number; progress: ReversalProgress }> {
  const latest = await tx.commissionReversal.findFirst({
    where: { shopId, commissionId },
    orderBy: { sequence: "desc" },
    select: { sequence: true, progress: true },
  });
  return latest ? { sequence: latest.sequence, progress: latest.progress as unknown as ReversalProgress } : { sequence: 0, progress: NOTHING_REVERSED };
}
