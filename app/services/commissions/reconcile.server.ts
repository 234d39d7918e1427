/**
 * Daily reconciliation: for the orders placed on one UTC day, what their commissions should net to, recomputed
 * from the stored calc snapshots (each replayed through the engine) plus their stored reversals, against what
 * the ledger's commission-expense postings for those orders add up to. Itemized per order (reconcileDay); the
 * target delta is 0. Also listed: snapshots that no longer replay to what was stored, paid orders that have no
 * commission record at all (the commission step never ran for them), and refunds of evaluated orders that no
 * reversal accounts for (e.g. still parked although their order has landed). Any of these unbalances the day.
 */
import { evaluate, evaluationFromJson, inputFromSnapshot } from "~/domain/engine";
import { expectedCommissionForOrder, reconcileDay, type DayReconciliation, type OrderAmount } from "~/domain/ledger";
import type { DbOrTx } from "~/db/tx.server";
import { reconcilePayouts, type PayoutReconciliation } from "~/services/payouts/reconcile.server";
import { reversalFromJson } from "./reversal-json.server";

export interface ShopDayReconciliation extends DayReconciliation {
  readonly shopId: string;
  /** YYYY-MM-DD, UTC. */
  readonly day: string;
  /** Orders whose stored snapshot, replayed through the engine today, pays a different total than stored. */
  readonly replayMismatches: readonly { readonly orderId: string; readonly storedMinor: bigint; readonly replayedMinor: bigint }[];
  /** Paid orders of the day without a Commission row. */
  readonly unevaluatedOrderIds: readonly string[];
  /** Refunds of the day's evaluated orders that were never reversed (parked, or recorded without a reversal). */
  readonly unappliedRefundIds: readonly string[];
  /** The payouts section (app/services/payouts/reconcile.server.ts): cumulative, as of the computation. */
  readonly payouts: PayoutReconciliation;
}

const PAGE = 500;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function dayBounds(day: string): { from: Date; to: Date } {
  const from = new Date(`${day}T00:00:00.000Z`);
  if (!DAY.test(day) || Number.isNaN(from.getTime()) || from.toISOString().slice(0, 10) !== day) {
    throw new RangeError(`"${day}" is not a date (YYYY-MM-DD)`);
  }
  return { from, to: new Date(from.getTime() + 86_400_000) };
}

export async function reconcileShopDay(client: DbOrTx, shopId: string, day: string): Promise<ShopDayReconciliation> {
  const { from, to } = dayBounds(day);
  const expected: OrderAmount[] = [];
  const replayMismatches: { orderId: string; storedMinor: bigint; replayedMinor: bigint }[] = [];

  // Page through the day's evaluated commissions so a busy day never sits in memory at once.
  for (let cursor: string | undefined; ; ) {
    const page = await client.commission.findMany({
      where: { shopId, orderedAt: { gte: from, lt: to }, outcome: "evaluated" },
      select: { id: true, orderId: true, evaluation: true, reversals: { where: { status: "applied" }, select: { result: true }, orderBy: { sequence: "asc" } } },
      orderBy: { id: "asc" },
      take: PAGE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const commission of page) {
      const stored = evaluationFromJson(commission.evaluation!);
      const replayed = evaluate(inputFromSnapshot(stored.snapshot));
      if (replayed.totals.paidMinor !== stored.totals.paidMinor) {
        replayMismatches.push({ orderId: commission.orderId, storedMinor: stored.totals.paidMinor, replayedMinor: replayed.totals.paidMinor });
      }
      const reversals = commission.reversals.map((reversal) => reversalFromJson(reversal.result!));
      expected.push(expectedCommissionForOrder(replayed, reversals));
    }
    if (page.length < PAGE) break;
    cursor = page[page.length - 1]!.id;
  }

  const ledger = await client.$queryRaw<{ orderId: string; currency: string; amountMinor: bigint }[]>`
    SELECT t."orderId", p."currency", sum(p."amountMinor")::bigint AS "amountMinor"
    FROM "Order" o
    JOIN "LedgerTransaction" t ON t."shopId" = o."shopId" AND t."orderId" = o."id"
    JOIN "LedgerPosting" p ON p."transactionId" = t."id"
    WHERE o."shopId" = ${shopId}::uuid AND o."orderedAt" >= ${from} AND o."orderedAt" < ${to}
      AND p."accountKind" = 'commission_expense'
    GROUP BY t."orderId", p."currency"`;

  const unevaluated = await client.$queryRaw<{ id: string }[]>`
    SELECT o."id" FROM "Order" o
    WHERE o."shopId" = ${shopId}::uuid AND o."orderedAt" >= ${from} AND o."orderedAt" < ${to}
      AND o."status" IN ('paid', 'partially_refunded', 'refunded')
      AND NOT EXISTS (SELECT 1 FROM "Commission" c WHERE c."shopId" = o."shopId" AND c."orderId" = o."id")
    ORDER BY o."id"`;

  const unapplied = await client.$queryRaw<{ id: string }[]>`
    SELECT r."id" FROM "Order" o
    JOIN "Commission" c ON c."shopId" = o."shopId" AND c."orderId" = o."id" AND c."outcome" = 'evaluated'
    JOIN "Refund" r ON r."shopId" = o."shopId" AND r."platform" = o."platform" AND r."platformOrderId" = o."platformOrderId"
    WHERE o."shopId" = ${shopId}::uuid AND o."orderedAt" >= ${from} AND o."orderedAt" < ${to}
      AND NOT EXISTS (SELECT 1 FROM "CommissionReversal" v WHERE v."commissionId" = c."id" AND v."refundId" = r."id")
    ORDER BY r."id"`;

  const result = reconcileDay(expected, ledger);
  const payouts = await reconcilePayouts(client, shopId);
  return {
    ...result,
    shopId,
    day,
    replayMismatches,
    unevaluatedOrderIds: unevaluated.map((row) => row.id),
    unappliedRefundIds: unapplied.map((row) => row.id),
    payouts,
    balanced: result.balanced && replayMismatches.length === 0 && unevaluated.length === 0 && unapplied.length === 0 && payouts.balanced,
  };
}

/**
 * The (shop, day) pairs whose numbers may have changed since `since`: commissions computed and reversals
 * written since then (for the day of their order, however old), plus yesterday and today for every active
 * shop, which also catches paid orders whose commission step never ran. The repeatable job reconciles these.
 */
export async function daysToReconcile(client: DbOrTx, since: Date, now: Date): Promise<{ shopId: string; day: string }[]> {
  const touched = await client.$queryRaw<{ shopId: string; day: string }[]>`
    SELECT DISTINCT "shopId", to_char("orderedAt", 'YYYY-MM-DD') AS day FROM (
      SELECT c."shopId", c."orderedAt" FROM "Commission" c WHERE c."createdAt" >= ${since}
      UNION ALL
      SELECT c."shopId", c."orderedAt" FROM "CommissionReversal" r JOIN "Commission" c ON c."id" = r."commissionId"
      WHERE r."createdAt" >= ${since}
    ) touched`;
  const shops = await client.shop.findMany({ where: { status: "active" }, select: { id: true } });
  const today = now.toISOString().slice(0, 10);
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  const pairs = new Map<string, { shopId: string; day: string }>();
  for (const pair of [...touched, ...shops.flatMap((shop) => [yesterday, today].map((day) => ({ shopId: shop.id, day })))]) {
    pairs.set(`${pair.shopId} ${pair.day}`, pair);
  }
  return [...pairs.values()].sort((a, b) => (a.shopId === b.shopId ? (a.day < b.day ? -1 : 1) : a.shopId < b.shopId ? -1 : 1));
}
