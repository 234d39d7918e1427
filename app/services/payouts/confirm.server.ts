/**
 * Bank-file confirmations: the bank's confirmation CSV for a run, or one item marked paid by hand. Only bank
 * items can be confirmed this way (a PayPal or Stripe item is confirmed by its provider, never by a person, so
 * it cannot be paid twice). A row must match the item's amount and currency to the cent, else it is reported
 * and nothing is applied for it.
 */
import type { Db } from "~/db.server";
import { parseConfirmation, type ConfirmationIssue } from "~/domain/payouts";
import { applyItemEvent } from "./item-ledger.server";
import { completeIfDone } from "./execute.server";
import { PayoutServiceError } from "./errors.server";
import { PAYOUT_TRANSACTION } from "./runs.server";

export interface ConfirmationResult {
  readonly paid: number;
  readonly failed: number;
  readonly issues: readonly ConfirmationIssue[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function importBankConfirmation(db: Db, shopId: string, runId: string, csv: string): Promise<ConfirmationResult> {
  const run = await db.payoutRun.findFirst({ where: { shopId, id: runId }, select: { status: true } });
  if (!run) throw new PayoutServiceError("unknown_run", `no payout run ${runId} in this shop`);
  const { confirmations, issues: parseIssues } = parseConfirmation(csv);
  const issues = [...parseIssues];
  const ids = confirmations.map((c) => c.itemId).filter((id) => UUID.test(id));
  // One array parameter: a bank file of 100,000 rows is beyond the bind-parameter limit of an IN list.
  const items = await db.$queryRaw<{ id: string; method: string; amountMinor: bigint; currency: string }[]>`
    SELECT "id", "method"::text AS method, "amountMinor", "currency" FROM "PayoutItem"
    WHERE "shopId" = ${shopId}::uuid AND "runId" = ${runId}::uuid AND "id" = ANY(${ids}::uuid[])`;
  const byId = new Map(items.map((item) => [item.id, item]));
  const paid: { itemId: string; reference: string | null }[] = [];
  const failed: { itemId: string; error: string }[] = [];
  confirmations.forEach((confirmation, index) => {
    const line = index + 2;
    const item = byId.get(confirmation.itemId);
    if (!item) return issues.push({ line, message: `no item ${confirmation.itemId} in this run` });
    if (item.method !== "bank") return issues.push({ line, message: `item ${item.id} is paid by ${item.method}, not by bank file` });
    if (item.amountMinor !== confirmation.amountMinor || item.currency !== confirmation.currency) {
      return issues.push({
        line,
        message: `item ${item.id} is ${item.amountMinor} ${item.currency} (minor units), the bank says ${confirmation.amountMinor} ${confirmation.currency}`,
      });
    }
    if (confirmation.outcome === "paid") paid.push({ itemId: item.id, reference: confirmation.bankReference });
    else failed.push({ itemId: item.id, error: confirmation.error ?? "the bank reported the transfer failed" });
  });
  const result = await db.$transaction(
    async (tx) => ({
      paid: await applyItemEvent(tx, shopId, "paid", paid),
      failed: await applyItemEvent(tx, shopId, "failed", failed),
    }),
    PAYOUT_TRANSACTION,
  );
  await completeIfDone(db, shopId, runId);
  return { ...result, issues };
}

export async function markItemPaid(
  db: Db,
  shopId: string,
  itemId: string,
  input: { outcome: "paid" | "failed"; reference?: string | null; error?: string | null },
) {
  const item = await db.payoutItem.findFirst({ where: { shopId, id: itemId }, select: { id: true, runId: true, method: true, status: true } });
  if (!item) throw new PayoutServiceError("unknown_item", `no payout item ${itemId} in this shop`);
  if (item.method !== "bank")
    throw new PayoutServiceError("invalid_state", `item ${itemId} is paid by ${item.method}; only bank items are marked paid by hand`);
  const run = await db.payoutRun.findFirstOrThrow({ where: { shopId, id: item.runId }, select: { status: true } });
  if (run.status === "draft" || run.status === "cancelled") throw new PayoutServiceError("invalid_state", `the item's run is ${run.status}`);
  const moved = await db.$transaction((tx) =>
    applyItemEvent(tx, shopId, input.outcome, [
      { itemId, reference: input.reference ?? null, error: input.outcome === "failed" ? (input.error ?? "marked failed") : null },
    ]),
  );
  if (moved === 0 && item.status !== input.outcome) throw new PayoutServiceError("invalid_state", `item ${itemId} is ${item.status}`);
  await completeIfDone(db, shopId, item.runId);
  return { moved: moved > 0 };
}
