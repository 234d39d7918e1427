/**
 * Retry of a failed (or returned) payout item: a new run of one item, the same distributor, currency and
 * amount, paid by the distributor's payout method as it is now (the usual fix is a corrected PayPal e-mail).
 *
 * The failed item was reversed to the available wallet when it failed, so the retry is an ordinary run: it is
 * approved through approvePayoutRun (balance re-checked under the shop's approval lock, one ledger transaction
 * per item) and executed by the worker with keys derived from the new item's id. The run's scheduleKey is
 * `retry:<item id>` (unique per shop), so a double click or two admins retrying at once create one run.
 */
import { planPayouts } from "~/domain/payouts";
import type { Db } from "~/db.server";
import { availableBalances, payeesOf, payoutRules } from "./balances.server";
import { PayoutServiceError } from "./errors.server";
import { approvePayoutRun } from "./runs.server";

export const retryKey = (itemId: string) => `retry:${itemId}`;

const HELD_EXPLANATIONS: Record<string, string> = {
  negative_balance: "the distributor's available balance is negative",
  status_not_active: "the distributor is not active",
  no_payout_method: "the distributor has no payout method",
  on_hold: "the distributor's payouts are on hold",
  below_threshold: "the amount is below the minimum payout",
};

export interface RetryOutcome {
  readonly runId: string;
  /** False when this item had been retried already: the existing run is returned. */
  readonly created: boolean;
}

export async function retryFailedItem(db: Db, shopId: string, itemId: string, actor: string): Promise<RetryOutcome> {
  const item = await db.payoutItem.findFirst({
    where: { shopId, id: itemId },
    select: { id: true, distributorId: true, currency: true, amountMinor: true, status: true },
  });
  if (!item) throw new PayoutServiceError("unknown_item", `no payout item ${itemId} in this shop`);
  const existing = await db.payoutRun.findFirst({ where: { shopId, scheduleKey: retryKey(itemId) }, select: { id: true } });
  if (existing) return { runId: await approvedRetry(db, shopId, existing.id, actor), created: false };
  if (item.status !== "failed" && item.status !== "returned") {
    throw new PayoutServiceError("invalid_state", `item ${itemId} is ${item.status}; only a failed or returned item can be retried`);
  }

  const created = await db.$transaction(async (tx) => {
    const [balance] = await availableBalances(tx, shopId, [item.distributorId]).then((rows) => rows.filter((row) => row.currency === item.currency));
    const available = balance?.availableMinor ?? 0n;
    if (available < item.amountMinor) {
      throw new PayoutServiceError("invalid_state", `the available balance (${available} minor units) no longer covers this item's ${item.amountMinor}`);
    }
    const [payees, rules] = await Promise.all([payeesOf(tx, shopId, [item.distributorId]), payoutRules(tx, shopId)]);
    const plan = planPayouts({ balances: [{ distributorId: item.distributorId, currency: item.currency, availableMinor: item.amountMinor }], payees, rules });
    const held = plan.heldBack[0];
    if (held) throw new PayoutServiceError("invalid_state", `not retried: ${HELD_EXPLANATIONS[held.reason] ?? held.reason}`);
    const planned = plan.items[0]!;
    const totals = { [item.currency]: { items: 1, amountMinor: item.amountMinor.toString() } };
    const [run] = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "PayoutRun" ("shopId", "currency", "schedule", "scheduleKey", "asOf", "totals", "itemCount", "heldBack", "createdBy", "updatedAt")
      VALUES (${shopId}::uuid, ${item.currency}, 'manual'::"PayoutSchedule", ${retryKey(itemId)}, now(), ${JSON.stringify(totals)}::jsonb, 1, '[]'::jsonb, ${actor}, now())
      ON CONFLICT ("shopId", "scheduleKey") DO NOTHING
      RETURNING "id"`;
    if (!run) return null;
    // As createPayoutRun does: the destination is copied from the payout method as it is now.
    await tx.$executeRaw`
      INSERT INTO "PayoutItem" ("shopId", "runId", "distributorId", "method", "destination", "amountMinor", "currency", "updatedAt")
      SELECT ${shopId}::uuid, ${run.id}::uuid, ${item.distributorId}::uuid, ${planned.method}::"PayoutMethodKind", COALESCE(m."details", '{}'::jsonb), ${item.amountMinor}, ${item.currency}, now()
      FROM (SELECT 1) AS one
      LEFT JOIN "PayoutMethod" m ON m."shopId" = ${shopId}::uuid AND m."distributorId" = ${item.distributorId}::uuid`;
    return run.id;
  });
  if (!created) {
    // Lost a race with another retry of the same item: theirs is the run.
    const run = await db.payoutRun.findFirstOrThrow({ where: { shopId, scheduleKey: retryKey(itemId) }, select: { id: true } });
    return { runId: await approvedRetry(db, shopId, run.id, actor), created: false };
  }
  return { runId: await approvedRetry(db, shopId, created, actor), created: true };
}

/** The merchant's click is the approval; a retry run left a draft by a crash is approved by the next click. */
async function approvedRetry(db: Db, shopId: string, runId: string, actor: string): Promise<string> {
  const run = await db.payoutRun.findFirstOrThrow({ where: { shopId, id: runId }, select: { status: true } });
  if (run.status === "draft") await approvePayoutRun(db, shopId, runId, actor);
  return runId;
}
