/**
 * Payout runs: create (a draft from the preview), approve (ledger postings in the same transaction), cancel.
 *
 * Approval is the moment money leaves the available wallets, so it is serialized per shop (a transaction-level
 * advisory lock) and re-checks every item against the balance as it is now: an item a clawback has since
 * undercut is cancelled instead of paid (no negative surprise). The run moves draft → approved with a guarded
 * UPDATE, so of two approvals at once exactly one posts; the other sees the run approved and posts nothing.
 */
import { PAYOUT_METHODS, payoutApproval, type PayoutMethodKind } from "~/domain/payouts";
import type { Db } from "~/db.server";
import type { Tx } from "~/db/tx.server";
import { postTransactions } from "~/services/ledger/post.server";
import { applyItemEvent } from "./item-ledger.server";
import { PayoutServiceError } from "./errors.server";
import { previewPayouts } from "./preview.server";

/** PayPal accepts up to 15,000 items per call: items are assigned their sender_batch_id once, at approval. */
export const PAYPAL_BATCH_SIZE = 15_000;

/** A run of 100,000 payees is created, approved or cancelled in one transaction: far beyond Prisma's 5 s default. */
export const PAYOUT_TRANSACTION = { timeout: 10 * 60_000, maxWait: 60_000 } as const;

/** Runs at least this large have the item table sampled for the planner once created. */
const ANALYZE_AFTER_ITEMS = 5_000;

export interface CreateRunInput {
  readonly currency?: string | null;
  readonly actor: string;
  readonly scheduleKey?: string | null;
  readonly schedule?: "manual" | "weekly" | "monthly";
}

export async function createPayoutRun(db: Db, shopId: string, input: CreateRunInput): Promise<{ runId: string; created: boolean }> {
  const result = await db.$transaction(async (tx) => {
    const preview = await previewPayouts(tx, shopId, { currency: input.currency ?? null });
    const totals = Object.fromEntries(Object.entries(preview.totals).map(([cur, t]) => [cur, { items: t.items, amountMinor: t.amountMinor.toString() }]));
    const heldBack = preview.heldBack.map((h) => ({ ...h, balanceMinor: h.balanceMinor.toString(), minimumMinor: h.minimumMinor?.toString() }));
    const [run] = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "PayoutRun" ("shopId", "currency", "schedule", "scheduleKey", "asOf", "totals", "itemCount", "heldBack", "createdBy", "updatedAt")
      VALUES (${shopId}::uuid, ${input.currency ?? null}, ${input.schedule ?? "manual"}::"PayoutSchedule", ${input.scheduleKey ?? null}, ${preview.asOf},
        ${JSON.stringify(totals)}::jsonb, ${preview.items.length}, ${JSON.stringify(heldBack)}::jsonb, ${input.actor}, now())
      ON CONFLICT ("shopId", "scheduleKey") DO NOTHING
      RETURNING "id"`;
    if (!run) {
      const existing = await tx.payoutRun.findFirstOrThrow({ where: { shopId, scheduleKey: input.scheduleKey ?? "" }, select: { id: true } });
      return { runId: existing.id, created: false, items: 0 };
    }
    const items = preview.items;
    // The destination is copied from the payout method now, so a method changed later never redirects money
    // already approved.
    await tx.$executeRaw`
      INSERT INTO "PayoutItem" ("shopId", "runId", "distributorId", "method", "destination", "amountMinor", "currency", "updatedAt")
      SELECT ${shopId}::uuid, ${run.id}::uuid, v.distributor_id, v.method::"PayoutMethodKind", COALESCE(m."details", '{}'::jsonb), v.amount, v.currency, now()
      FROM unnest(${items.map((i) => i.distributorId)}::uuid[], ${items.map((i) => i.method)}::text[], ${items.map((i) => i.amountMinor.toString())}::bigint[],
        ${items.map((i) => i.currency)}::text[]) AS v(distributor_id, method, amount, currency)
      LEFT JOIN "PayoutMethod" m ON m."shopId" = ${shopId}::uuid AND m."distributorId" = v.distributor_id`;
    return { runId: run.id, created: true, items: items.length };
  }, PAYOUT_TRANSACTION);
  // A new run id is in no statistics, so until autovacuum samples the table the planner takes a large run for
  // one row and pages its bank file with a sort of the whole run per page (52 s for 100,000 items). Sampled now.
  if (result.items >= ANALYZE_AFTER_ITEMS) await db.$executeRawUnsafe('ANALYZE "PayoutItem"');
  return { runId: result.runId, created: result.created };
}

export type ApproveOutcome = "approved" | "already_approved";

interface PendingItem {
  id: string;
  distributorId: string;
  currency: string;
  amountMinor: bigint;
  availableMinor: bigint;
}

export async function approvePayoutRun(
  db: Db,
  shopId: string,
  runId: string,
  actor: string,
  now = new Date(),
): Promise<{ outcome: ApproveOutcome; posted: number; cancelled: number }> {
  return db.$transaction(async (tx) => {
    const [run] = await tx.$queryRaw<{ id: string }[]>`
      UPDATE "PayoutRun" SET "status" = 'approved', "approvedAt" = ${now}, "approvedBy" = ${actor}, "updatedAt" = now()
      WHERE "shopId" = ${shopId}::uuid AND "id" = ${runId}::uuid AND "status" = 'draft'
      RETURNING "id"`;
    if (!run) {
      const status = await runStatus(tx, shopId, runId);
      if (status === "approved" || status === "executing" || status === "completed") return { outcome: "already_approved" as const, posted: 0, cancelled: 0 };
      throw new PayoutServiceError("invalid_state", `payout run ${runId} is ${status}; only a draft can be approved`);
    }
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`payout-approve:${shopId}`}, 0))`;
    // Each pending item with its wallet's available balance as it is now (under the lock), in one statement. A
    // lateral sum per item walks the (shopId, distributorId, id) index: its cost stays linear in the items even
    // when the run's rows, just inserted, have no statistics yet (a join planned on a 1-row estimate was quadratic).
    const items = await tx.$queryRaw<PendingItem[]>`
      SELECT i."id", i."distributorId", i."currency", i."amountMinor", COALESCE(o.available, 0)::bigint AS "availableMinor"
      FROM "PayoutItem" i
      CROSS JOIN LATERAL (
        SELECT -sum(p."amountMinor")::bigint AS available FROM "LedgerPosting" p
        WHERE p."shopId" = i."shopId" AND p."distributorId" = i."distributorId" AND p."accountKind" = 'wallet_available' AND p."currency" = i."currency"
      ) o
      WHERE i."shopId" = ${shopId}::uuid AND i."runId" = ${runId}::uuid AND i."status" = 'pending'
      ORDER BY i."id"`;
    const left = new Map(items.map((i) => [`${i.distributorId}:${i.currency}`, i.availableMinor]));
    const funded: PendingItem[] = [];
    const undercut: string[] = [];
    for (const item of items) {
      const key = `${item.distributorId}:${item.currency}`;
      const available = left.get(key) ?? 0n;
      if (available >= item.amountMinor) {
        funded.push(item);
        left.set(key, available - item.amountMinor);
      } else undercut.push(item.id);
    }
    const at = now.toISOString();
    // One balanced transaction per item under its deterministic key, written set-based by the ledger writer.
    const { transactions: posted } = await postTransactions(
      tx,
      shopId,
      funded.map((item) =>
        payoutApproval({ shopId, runId, itemId: item.id, distributorId: item.distributorId, currency: item.currency, amountMinor: item.amountMinor }, at),
      ),
    );
    if (undercut.length > 0) {
      // Never approved, so nothing to reverse: the balance stays in the wallet for the next run.
      await tx.$executeRaw`
        UPDATE "PayoutItem" SET "status" = 'cancelled', "failedAt" = now(), "updatedAt" = now(),
          "lastError" = 'the available balance fell below this amount before approval (a clawback)'
        WHERE "shopId" = ${shopId}::uuid AND "id" = ANY(${undercut}::uuid[]) AND "status" = 'pending'`;
    }
    await assignPayPalBatches(tx, shopId, runId);
    await refreshTotals(tx, shopId, runId);
    return { outcome: "approved" as const, posted, cancelled: undercut.length };
  }, PAYOUT_TRANSACTION);
}

/**
 * sender_batch_id = the run id (the run's first 15,000 PayPal items by id), then <run>-1, <run>-2, …: fixed for
 * good at approval, in one statement.
 */
async function assignPayPalBatches(tx: Tx, shopId: string, runId: string) {
  await tx.$executeRaw`
    UPDATE "PayoutItem" i SET "providerBatch" = CASE WHEN b.n = 0 THEN ${runId} ELSE ${runId} || '-' || b.n END
    FROM (
      SELECT "id", ((row_number() OVER (ORDER BY "id")) - 1) / ${PAYPAL_BATCH_SIZE} AS n
      FROM "PayoutItem"
      WHERE "shopId" = ${shopId}::uuid AND "runId" = ${runId}::uuid AND "method" = 'paypal' AND "status" = 'pending'
    ) b
    WHERE i."shopId" = ${shopId}::uuid AND i."id" = b."id"`;
}

export async function refreshTotals(tx: Tx, shopId: string, runId: string) {
  const rows = await tx.$queryRaw<{ currency: string; items: number; amountMinor: bigint }[]>`
    SELECT "currency", count(*)::int AS items, sum("amountMinor")::bigint AS "amountMinor"
    FROM "PayoutItem" WHERE "shopId" = ${shopId}::uuid AND "runId" = ${runId}::uuid AND "status" <> 'cancelled'
    GROUP BY "currency" ORDER BY "currency"`;
  const totals = Object.fromEntries(rows.map((row) => [row.currency, { items: row.items, amountMinor: row.amountMinor.toString() }]));
  await tx.payoutRun.update({ where: { id: runId }, data: { totals, itemCount: rows.reduce((sum, row) => sum + row.items, 0) } });
}

async function runStatus(tx: Tx, shopId: string, runId: string) {
  const run = await tx.payoutRun.findFirst({ where: { shopId, id: runId }, select: { status: true } });
  if (!run) throw new PayoutServiceError("unknown_run", `no payout run ${runId} in this shop`);
  return run.status;
}

/**
 * Cancels a draft or approved run that has not started executing: its items are cancelled and, for an
 * approved run, each approval is reversed (new entries) so the money is back in the available wallets.
 */
export async function cancelPayoutRun(db: Db, shopId: string, runId: string, actor: string, now = new Date()): Promise<{ cancelled: number }> {
  return db.$transaction(async (tx) => {
    // The row lock orders a cancel against an approval or the worker starting the run.
    const [run] = await tx.$queryRaw<{ status: string }[]>`
      SELECT "status"::text AS status FROM "PayoutRun" WHERE "shopId" = ${shopId}::uuid AND "id" = ${runId}::uuid FOR UPDATE`;
    if (!run) throw new PayoutServiceError("unknown_run", `no payout run ${runId} in this shop`);
    if (run.status === "cancelled") return { cancelled: 0 };
    if (run.status !== "draft" && run.status !== "approved") {
      throw new PayoutServiceError("invalid_state", `payout run ${runId} is ${run.status}; only a draft or approved run can be cancelled`);
    }
    await tx.payoutRun.update({ where: { id: runId }, data: { status: "cancelled", cancelledAt: now, cancelledBy: actor } });
    const pending = await tx.payoutItem.findMany({ where: { shopId, runId, status: "pending" }, select: { id: true } });
    if (run.status === "approved")
      return {
        cancelled: await applyItemEvent(
          tx,
          shopId,
          "cancel",
          pending.map((p) => ({ itemId: p.id })),
          now,
        ),
      };
    const result = await tx.payoutItem.updateMany({ where: { shopId, runId, status: "pending" }, data: { status: "cancelled", failedAt: now } });
    return { cancelled: result.count };
  }, PAYOUT_TRANSACTION);
}

export function isPayoutMethod(value: string): value is PayoutMethodKind {
  return (PAYOUT_METHODS as readonly string[]).includes(value);
}
