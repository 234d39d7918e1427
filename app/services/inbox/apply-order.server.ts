/**
 * The two ways the worker applies an order delivery, side by side so they stay one behaviour (their parity test:
 * test/inbox/apply-order.test.ts):
 *
 * applyOrder, the general path, any order event in the caller's Prisma transaction: store the order (or the newer
 * version of it), compute or reverse its commission (afterOrderStored), apply refunds that were waiting for it.
 *
 * applyOrderFast, the common case (an order with no refund waiting on it) in few round trips on a plain pg
 * connection: ONE transaction, with the same statements and guarantees, folded together:
 *
 *   1. BEGIN and the order's advisory lock
 *   2. upsert the order and insert its lines; in the same statement read whether its commission exists, whether
 *      refunds of it are waiting, and everything the engine needs but the upline (settings, classes, SKU
 *      mappings, plan version, attribution candidates)
 *   3. the upline as of the order's time (genealogy's uplineAt), and, only for a plan version with a forced
 *      matrix, the placement upline in one more statement (placementUplineAt)
 *   4. the Commission row, its ledger transactions and postings, and the inbox row marked processed
 *   5. COMMIT
 *
 * The services both share reach the database through RawSqlClient (app/db/raw-sql.server.ts), which a pg
 * connection implements without a cast. Anything rarer (an older version arriving late, refunds to reverse, a
 * cancellation to reverse, a provisional buyer's sponsor to set) is rolled back by the fast path and returned as null: the caller then applies the
 * event through the general path, from scratch.
 */
import type pg from "pg";
import type { Tx } from "~/db/tx.server";
import { buildCommissionTransactions } from "~/domain/ledger";
import type { NormalizedOrder } from "~/domain/platforms/normalized";
import { Prisma } from "~/generated/prisma/client";
import { commissionContextColumns, commissionContextFrom, type CommissionContextRow } from "~/services/commissions/commission-context.server";
import { commissionAndPostSql } from "~/services/commissions/commission-record.server";
import { countLedgerTransactions } from "~/services/metrics/metrics.server";
import { computeCommission, PAID_STATUSES } from "~/services/commissions/compute.server";
import { orderForCommissionFromNormalized } from "~/services/commissions/order-input.server";
import { orderLockKey } from "~/services/orders/order-lock.server";
import { afterOrderStored, afterRefundRecorded } from "~/services/commissions/hooks.server";
import { orderLinesInsertSql, orderUpsertSql, storeOrder, type StoredOrder } from "~/services/orders/store-order.server";
import { unparkRefunds } from "~/services/orders/store-refund.server";
import type { ClaimedEvent } from "./claim.server";
import { pgRawSql, sqlRows } from "./pg-sql.server";

const STATEMENT_TIMEOUT_MS = 20_000;

export interface AppliedOrder {
  readonly orderId: string;
  readonly inserted: boolean;
}

interface StoredOrderRow extends CommissionContextRow {
  id: string;
  inserted: boolean;
  computed: boolean;
  /** Refunds of this platform order already stored, parked or recorded: the general path reverses them. */
  refunds: number;
}

/** The general path, in the caller's transaction (which also marks the inbox row). */
export async function applyOrder(tx: Tx, event: ClaimedEvent, order: NormalizedOrder): Promise<StoredOrder> {
  const stored = await storeOrder(tx, event.shopId, order, { eventId: event.id, connectionId: event.connectionId });
  await afterOrderStored(tx, event.shopId, stored.orderId);
  const unparked = await unparkRefunds(tx, event.shopId, stored.orderId, order.platform, order.platformOrderId);
  for (const refundId of unparked) await afterRefundRecorded(tx, event.shopId, refundId);
  return stored;
}

/** Applies the order in one transaction and returns it; null when it needs the general path (nothing written). */
export async function applyOrderFast(pool: pg.Pool, event: ClaimedEvent, order: NormalizedOrder): Promise<AppliedOrder | null> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // One round trip for all three: a simple-protocol script cannot carry parameters, so the key goes in as a
    // literal, escaped by pg (the platform order id comes from the payload). The statement timeout bounds what
    // Prisma's interactive-transaction timeout bounded on the general path: a stuck wait fails the attempt, and
    // BullMQ retries it.
    const key = orderLockKey(event.shopId, order.platform, order.platformOrderId);
    await client.query(
      `BEGIN; SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}; SELECT pg_advisory_xact_lock(hashtextextended(${client.escapeLiteral(key)}, 0))`,
    );
    const applied = await applyLocked(client, event, order);
    await client.query(applied ? "COMMIT" : "ROLLBACK");
    return applied;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    // A connection that could not even roll back is dropped rather than handed to the next job.
    client.release(broken);
  }
}

async function applyLocked(client: pg.PoolClient, event: ClaimedEvent, order: NormalizedOrder): Promise<AppliedOrder | null> {
  const { shopId } = event;
  const state = { computed: false, recordedRefunds: 0 };
  // The context is read from what the order says, so it can share the statement that stores it.
  const contextInput = orderForCommissionFromNormalized("", order, state);
  const [row] = await sqlRows<StoredOrderRow>(
    client,
    Prisma.sql`
    WITH stored AS (${orderUpsertSql(shopId, order, { eventId: event.id, connectionId: event.connectionId })}),
    lines AS (${orderLinesInsertSql(shopId, Prisma.sql`SELECT "id" FROM stored WHERE "inserted"`, order.lines)})
    SELECT s."id", s."inserted",
      EXISTS (SELECT 1 FROM "Commission" c WHERE c."shopId" = ${shopId}::uuid AND c."orderId" = s."id") AS computed,
      (SELECT count(*) FROM "Refund" r WHERE r."shopId" = ${shopId}::uuid AND r."platform" = ${order.platform}::"Platform"
        AND r."platformOrderId" = ${order.platformOrderId} AND r."status" IN ('parked', 'recorded'))::int AS refunds,
      ${commissionContextColumns(shopId, contextInput)}
    FROM stored s`,
  );
  // Left out as older than the stored version, or refunds to reverse: the general path's work.
  if (!row || row.refunds > 0) return null;
  if (order.status === "cancelled" && row.computed) return null;

  if (!row.inserted) {
    // A newer version of a known order: its lines replace the stored ones (an insert above only for new orders).
    await sqlRows(client, Prisma.sql`DELETE FROM "OrderLine" WHERE "shopId" = ${shopId}::uuid AND "orderId" = ${row.id}::uuid`);
    await sqlRows(client, orderLinesInsertSql(shopId, Prisma.sql`SELECT ${row.id}::uuid AS "id"`, order.lines));
  }

  const markProcessed = Prisma.sql`
    marked AS (
      UPDATE "WebhookEvent" w SET "status" = 'processed', "normalized" = o."normalized", "processedAt" = now(), "lastError" = NULL,
        "updatedAt" = now()
      FROM "Order" o
      WHERE w."id" = ${event.id}::uuid AND w."shopId" = ${shopId}::uuid AND o."id" = ${row.id}::uuid AND o."shopId" = ${shopId}::uuid
      RETURNING 1
    ),`;
  const applied = { orderId: row.id, inserted: row.inserted };
  // Computed once per order, from its first paid version; a cancelled order never computed posts nothing.
  if (row.computed || !PAID_STATUSES.has(order.status)) {
    await sqlRows(client, Prisma.sql`WITH ${markProcessed} done AS (SELECT 1) SELECT count(*) FROM marked`);
    return applied;
  }

  const sql = pgRawSql(client);
  const input = orderForCommissionFromNormalized(row.id, order, state);
  const context = await commissionContextFrom(sql, shopId, input, row);
  // Setting a provisional buyer's sponsor (ADR 0008) is a genealogy move: the general path's work.
  if (context.attribution?.sponsorChange) return null;
  const computed = await computeCommission(sql, shopId, input, context);
  const drafts = computed.evaluation ? buildCommissionTransactions({ shopId, evaluation: computed.evaluation }) : [];
  const [written] = await sqlRows<{ insertedKinds: Record<string, number> | null }>(client, commissionAndPostSql(computed.row, drafts, markProcessed));
  countLedgerTransactions(written?.insertedKinds);
  return applied;
}
