/**
 * Item status changes and their ledger postings, in one DB transaction each call: the change is a guarded
 * `UPDATE … WHERE status = ANY(<allowed from>)`, and only the rows it actually moved get their ledger
 * transaction (deterministic key, ON CONFLICT DO NOTHING as a second guard). So a provider's answer applied
 * twice — two workers, a retried job, a webhook and a poll — moves and posts each item once.
 */
import { payoutReversal, payoutSettlement, transitionFor, type ItemEvent, type PayoutItemRef } from "~/domain/payouts";
import type { LedgerTransactionDraft } from "~/domain/ledger";
import type { Tx } from "~/db/tx.server";
import { postTransactions } from "~/services/ledger/post.server";

export interface ItemUpdate {
  readonly itemId: string;
  readonly reference?: string | null;
  readonly batchRef?: string | null;
  readonly error?: string | null;
}

interface MovedRow {
  id: string;
  runId: string;
  distributorId: string;
  amountMinor: bigint;
  currency: string;
}

async function move(tx: Tx, shopId: string, event: ItemEvent, from: readonly string[], updates: readonly ItemUpdate[]): Promise<MovedRow[]> {
  if (updates.length === 0) return [];
  const { to } = transitionFor(event);
  return tx.$queryRaw<MovedRow[]>`
    UPDATE "PayoutItem" i SET
      "status" = ${to}::"PayoutItemStatus",
      "providerReference" = COALESCE(v.reference, i."providerReference"),
      "providerBatchRef" = COALESCE(v.batch_ref, i."providerBatchRef"),
      "lastError" = COALESCE(v.error, i."lastError"),
      "submittedAt" = COALESCE(i."submittedAt", now()),
      "paidAt" = CASE WHEN ${to} = 'paid' THEN now() ELSE i."paidAt" END,
      "failedAt" = CASE WHEN ${to} IN ('failed', 'returned', 'cancelled') THEN now() ELSE i."failedAt" END,
      "updatedAt" = now()
    FROM unnest(${updates.map((u) => u.itemId)}::uuid[], ${updates.map((u) => u.reference ?? null)}::text[],
      ${updates.map((u) => u.batchRef ?? null)}::text[], ${updates.map((u) => u.error ?? null)}::text[]) AS v(id, reference, batch_ref, error)
    WHERE i."shopId" = ${shopId}::uuid AND i."id" = v.id AND i."status"::text = ANY(${[...from]}::text[])
    RETURNING i."id", i."runId", i."distributorId", i."amountMinor", i."currency"`;
}

const ref = (shopId: string, row: MovedRow): PayoutItemRef => ({
  shopId,
  runId: row.runId,
  itemId: row.id,
  distributorId: row.distributorId,
  currency: row.currency,
  amountMinor: row.amountMinor,
});

/** Applies one provider answer (or a cancellation) to items; returns how many items it moved. */
export async function applyItemEvent(tx: Tx, shopId: string, event: ItemEvent, updates: readonly ItemUpdate[], now = new Date()): Promise<number> {
  const at = now.toISOString();
  const drafts: LedgerTransactionDraft[] = [];
  let moved = 0;
  if (event === "returned") {
    // A return after the provider had confirmed the payment takes the money back from cash, not clearing.
    const settled = await move(tx, shopId, event, ["paid"], updates);
    const open = await move(tx, shopId, event, ["pending", "submitted"], updates);
    drafts.push(...settled.map((row) => payoutReversal(ref(shopId, row), at, true)), ...open.map((row) => payoutReversal(ref(shopId, row), at, false)));
    moved = settled.length + open.length;
  } else {
    const rows = await move(tx, shopId, event, transitionFor(event).from, updates);
    const step = transitionFor(event).step;
    if (step === "settle") drafts.push(...rows.map((row) => payoutSettlement(ref(shopId, row), at)));
    if (step === "reverse") drafts.push(...rows.map((row) => payoutReversal(ref(shopId, row), at, false)));
    moved = rows.length;
  }
  await postTransactions(tx, shopId, drafts);
  return moved;
}
