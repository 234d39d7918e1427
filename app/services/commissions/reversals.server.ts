/**
 * Refunds and cancellations, reversed against the ORIGINAL calc snapshot of the order (never today's tree or
 * plan), in proportion to what was refunded per line, from the progress the previous reversal stored. The
 * Commission row is locked meanwhile, so two refunds of one order apply one after the other.
 *
 * Reversals come out of the pending wallet while the commission is held and out of the available wallet once
 * its hold was released (which may take it below zero: the debt is carried).
 */
import { EngineInputError, evaluationFromJson, reverseForRefund, type RefundForReversal, type ReversalProgress } from "~/domain/engine";
import { buildReversalTransactions } from "~/domain/ledger";
import { bigintReplacer } from "~/domain/money";
import type { Prisma } from "~/generated/prisma/client";
import type { Tx } from "~/db/tx.server";
import { postTransactions } from "~/services/ledger/post.server";
import { latestReversalProgress, lockCommissionOfOrder, lockOrder, type LockedCommission } from "./commission-record.server";

/** The reversal key of a cancellation; platform refund ids are numeric, so it cannot collide with one. */
export const CANCELLATION_KEY = "cancellation";

/** Reverses one recorded refund (a no-op when its order has no evaluated commission yet, or it was applied). */
export async function applyRefund(tx: Tx, shopId: string, refundId: string): Promise<void> {
  const refund = await tx.refund.findFirst({ where: { id: refundId, shopId } });
  if (!refund || refund.status !== "recorded" || !refund.orderId) return;
  // The order first: if its commission is being computed right now, wait for it (and then reverse against it).
  if (!(await lockOrder(tx, shopId, refund.orderId))) return;
  const commission = await lockCommissionOfOrder(tx, shopId, refund.orderId);
  // No commission yet: it will apply this refund when it is computed (applyRecordedRefunds).
  if (!commission) return;
  await reverse(tx, shopId, commission, refund.orderId, {
    refundId: refund.id,
    sourceKey: refund.platformRefundId,
    occurredAt: refund.refundedAt,
    refund: refundFromJson(refund.normalized, await orderTaxesIncluded(tx, shopId, refund.orderId)),
  });
}

/** Every recorded refund of the order, oldest first: called right after the order's commission is computed. */
export async function applyRecordedRefunds(tx: Tx, shopId: string, orderId: string): Promise<void> {
  // Found by the platform order id, which Refund is indexed on.
  const refunds = await tx.$queryRaw<{ id: string }[]>`
    SELECT r."id" FROM "Refund" r JOIN "Order" o ON o."shopId" = r."shopId" AND o."platform" = r."platform" AND o."platformOrderId" = r."platformOrderId"
    WHERE o."id" = ${orderId}::uuid AND o."shopId" = ${shopId}::uuid AND r."status" = 'recorded' AND r."orderId" = o."id"
    ORDER BY r."refundedAt", r."createdAt"`;
  for (const refund of refunds) await applyRefund(tx, shopId, refund.id);
}

/** A cancelled order: reverse whatever its refunds have not reversed yet, so every recipient nets to 0. */
export async function applyCancellation(tx: Tx, shopId: string, orderId: string, cancelledAt: Date): Promise<void> {
  const commission = await lockCommissionOfOrder(tx, shopId, orderId);
  if (!commission || commission.outcome !== "evaluated" || commission.evaluation === null) return;
  const done = await tx.commissionReversal.findUnique({
    where: { shopId_commissionId_sourceKey: { shopId, commissionId: commission.id, sourceKey: CANCELLATION_KEY } },
    select: { id: true },
  });
  if (done) return;
  const { snapshot } = evaluationFromJson(commission.evaluation);
  await reverse(tx, shopId, commission, orderId, {
    refundId: null,
    sourceKey: CANCELLATION_KEY,
    occurredAt: cancelledAt,
    // What is left of every line after the refunds so far (shipping and tax shares included): refunded now.
    refund: {
      platformRefundId: CANCELLATION_KEY,
      platformOrderId: snapshot.order.platformOrderId,
      refundedAt: cancelledAt.toISOString(),
      currency: snapshot.order.currency,
      lines: [],
      remainder: true,
    },
  });
}

interface ReversalSource {
  readonly refundId: string | null;
  readonly sourceKey: string;
  readonly occurredAt: Date;
  readonly refund: RefundForReversal;
}

async function reverse(tx: Tx, shopId: string, commission: LockedCommission, orderId: string, source: ReversalSource): Promise<void> {
  // Nothing was evaluated (no plan, no class, refused input): nothing was paid, nothing to take back.
  if (commission.outcome !== "evaluated" || commission.evaluation === null) return;
  const { sequence, progress } = await latestReversalProgress(tx, shopId, commission.id);
  if (progress.appliedRefundIds.includes(source.sourceKey)) return;
  const original = evaluationFromJson(commission.evaluation);

  let reversal;
  try {
    reversal = reverseForRefund({ original, refund: source.refund, progress });
  } catch (error) {
    // A refund that cannot belong to this order (other currency or order) must not block its ingest forever:
    // it is kept, rejected, with the reason; progress does not move.
    if (!(error instanceof EngineInputError)) throw error;
    await insertReversal(tx, shopId, commission.id, orderId, source, sequence + 1, {
      status: "rejected",
      result: null,
      progress,
      reversedMinor: 0n,
      error: error.message,
    });
    return;
  }

  const inserted = await insertReversal(tx, shopId, commission.id, orderId, source, sequence + 1, {
    status: "applied",
    result: JSON.stringify(reversal, bigintReplacer),
    progress: reversal.progress,
    reversedMinor: reversal.lines.reduce((sum, line) => sum + line.amountMinor, 0n),
    error: null,
  });
  if (!inserted) return;
  const walletStage = commission.releasedAt === null ? "pending" : "available";
  await postTransactions(tx, shopId, buildReversalTransactions({ shopId, reversal, walletStage: () => walletStage }));
}

interface ReversalRow {
  readonly status: "applied" | "rejected";
  readonly result: string | null;
  readonly progress: ReversalProgress;
  readonly reversedMinor: bigint;
  readonly error: string | null;
}

/** Insert-or-skip on (shop, commission, refund): false when this refund was already reversed. */
async function insertReversal(
  tx: Tx,
  shopId: string,
  commissionId: string,
  orderId: string,
  source: ReversalSource,
  sequence: number,
  row: ReversalRow,
): Promise<boolean> {
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "CommissionReversal" ("shopId", "commissionId", "orderId", "refundId", "sourceKey", "sequence", "status",
      "result", "progress", "reversedMinor", "error", "occurredAt")
    VALUES (${shopId}::uuid, ${commissionId}::uuid, ${orderId}::uuid, ${source.refundId}::uuid, ${source.sourceKey}, ${sequence},
      ${row.status}::"CommissionReversalStatus", ${row.result}, ${JSON.stringify(row.progress)}::jsonb, ${row.reversedMinor},
      ${row.error}, ${source.occurredAt})
    ON CONFLICT ("shopId", "commissionId", "sourceKey") DO NOTHING
    RETURNING "id"`;
  return inserted.length > 0;
}

/** Whether the order's prices included tax, as its stored normalized version says (Shopify `taxes_included`). */
export async function orderTaxesIncluded(tx: Tx, shopId: string, orderId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ included: boolean | null }[]>`
    SELECT ("normalized"->>'taxesIncluded')::boolean AS included FROM "Order" WHERE "id" = ${orderId}::uuid AND "shopId" = ${shopId}::uuid`;
  return rows[0]?.included === true;
}

/**
 * The stored NormalizedRefund JSON (bigints as strings) → what the reversal reads. A refund normalized before its
 * order was known (parked) could not take the order's included tax out of its line subtotals: done here.
 */
export function refundFromJson(json: Prisma.JsonValue, orderTaxesIncluded: boolean): RefundForReversal {
  const refund = json as unknown as {
    platformRefundId: string;
    platformOrderId: string;
    refundedAt: string;
    currency: string;
    lines: { platformLineId: string; quantity: number; subtotalMinor: string; taxMinor?: string }[];
    shippingMinor?: string;
    unattributedMinor?: string;
    taxesIncluded?: boolean;
  };
  const takeTaxOut = refund.taxesIncluded === undefined && orderTaxesIncluded;
  return {
    platformRefundId: refund.platformRefundId,
    platformOrderId: refund.platformOrderId,
    refundedAt: refund.refundedAt,
    currency: refund.currency,
    lines: refund.lines.map((line) => {
      const tax = BigInt(line.taxMinor ?? "0");
      const subtotal = BigInt(line.subtotalMinor);
      return { platformLineId: line.platformLineId, quantity: line.quantity, subtotalMinor: takeTaxOut ? subtotal - tax : subtotal, taxMinor: tax };
    }),
    shippingMinor: BigInt(refund.shippingMinor ?? "0"),
    unattributedMinor: BigInt(refund.unattributedMinor ?? "0"),
  };
}
