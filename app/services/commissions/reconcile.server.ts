/**
 * Daily reconciliation: for the orders placed on one UTC day, what their commissions should net to, recomputed
 * from the stored calc snapshots (each replayed through the engine) plus their stored reversals, against what
 * the ledger's commission-expense postings for those orders add up to. Itemized per order (reconcileDay); the
 * target delta is 0. Also listed: snapshots that no longer replay to what was stored, paid orders that have no
 * commission record at all (the commission step never ran for them), and refunds of evaluated orders that no
 * reversal accounts for (e.g. still parked although their order has landed). Any of these unbalances the day.
 *
 * And against what the platforms themselves reported, not only our own ledger:
 *   refund gaps     every refund the platform reported for an order (refund webhooks, and the refunds its order
 *                   payload carries) replayed through the reversal, against the reversal applied (refund-gaps.ts);
 *                   an order the platform says is refunded in full or cancelled must net to 0. The expected side
 *                   of the order is what the platform's refunds leave, so a gap is also a delta.
 *   dropped money   plan amounts the engine skipped because their currency was not the order's: expected in their
 *                   own currency, never paid, so the day's delta is not 0 (dropped-money.ts).
 *   company wallet  the shop's company node is never a payee: any balance in its wallets is a finding.
 *   unowned volume  orders with volume that nobody's personal volume counts (informational when the order has no
 *                   attribution at all; a finding when it is attributed but its snapshot names no owner).
 */
import {
  checkOrderRefunds,
  droppedByCurrencyMismatch,
  evaluate,
  evaluationFromJson,
  inputFromSnapshot,
  type PlatformRefundSeen,
  type RefundGap,
} from "~/domain/engine";
import { reconcileDay, type DayReconciliation, type OrderAmount } from "~/domain/ledger";
import { orderVolumeOwner } from "~/domain/periods";
import type { DbOrTx } from "~/db/tx.server";
import { CANCELLATION_KEY, refundFromJson } from "./reversals.server";
import { reconcilePayouts, type PayoutReconciliation } from "~/services/payouts/reconcile.server";

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
  /** Per order, the platform's refunds against the reversals applied; only orders with a gap. */
  readonly refundGaps: readonly (RefundGap & { readonly orderId: string; readonly currency: string })[];
  /** Plan amounts not paid because of their currency, per order, in the amount's own currency. */
  readonly droppedMoney: readonly {
    readonly orderId: string;
    readonly reason: "rate_currency_mismatch";
    readonly rule: string;
    readonly orderLineId: string;
    readonly level: number;
    readonly currency: string;
    readonly amountMinor: bigint;
  }[];
  /** The company node's wallet balances (pending + available, owed to it), per currency; only non-zero ones. */
  readonly companyWallet: readonly { readonly distributorId: string; readonly currency: string; readonly balanceMinor: bigint }[];
  /** Orders with volume nobody's personal volume counts. */
  readonly unownedVolume: readonly { readonly orderId: string; readonly pvHundredths: bigint; readonly cvHundredths: bigint; readonly attributed: boolean }[];
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

  const dropped: OrderAmount[] = [];
  const refundGaps: ShopDayReconciliation["refundGaps"][number][] = [];
  const droppedMoney: ShopDayReconciliation["droppedMoney"][number][] = [];
  const unownedVolume: ShopDayReconciliation["unownedVolume"][number][] = [];

  // Page through the day's evaluated commissions so a busy day never sits in memory at once.
  for (let cursor: string | undefined; ;) {
    const page = await client.commission.findMany({
      where: { shopId, orderedAt: { gte: from, lt: to }, outcome: "evaluated" },
      select: {
        id: true,
        orderId: true,
        evaluation: true,
        attributedDistributorId: true,
        order: { select: { platform: true, platformOrderId: true, status: true, totalMinor: true, normalized: true } },
        reversals: { select: { refundId: true, sourceKey: true, status: true, reversedMinor: true }, orderBy: { sequence: "asc" } },
      },
      orderBy: { id: "asc" },
      take: PAGE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    const refunds = await platformRefunds(
      client,
      shopId,
      page.map((commission) => commission.order),
    );
    for (const commission of page) {
      const stored = evaluationFromJson(commission.evaluation!);
      const replayed = evaluate(inputFromSnapshot(stored.snapshot));
      if (replayed.totals.paidMinor !== stored.totals.paidMinor) {
        replayMismatches.push({ orderId: commission.orderId, storedMinor: stored.totals.paidMinor, replayedMinor: replayed.totals.paidMinor });
      }
      const { order } = commission;
      const normalized = order.normalized as { taxesIncluded?: boolean; refunds?: { platformRefundId: string; totalMinor: string }[] } | null;
      const seen = refundsSeen(
        commission.reversals,
        refunds.get(`${order.platform} ${order.platformOrderId}`) ?? [],
        normalized,
        order.status === "cancelled",
        stored.snapshot.order,
      );
      const platformRefunded = seen.reduce((sum, refund) => sum + refund.totalMinor, 0n);
      const wholeOrderRefunded = order.status === "refunded" || order.status === "cancelled" || (order.totalMinor > 0n && platformRefunded >= order.totalMinor);
      const check = checkOrderRefunds(stored, replayed.totals.paidMinor, seen, wholeOrderRefunded);
      expected.push({ orderId: commission.orderId, currency: replayed.currency, amountMinor: check.expectedNetMinor });
      for (const gap of check.gaps) refundGaps.push({ ...gap, orderId: commission.orderId, currency: replayed.currency });
      for (const amount of droppedByCurrencyMismatch(stored)) {
        droppedMoney.push(amount);
        dropped.push({ orderId: commission.orderId, currency: amount.currency, amountMinor: amount.amountMinor });
      }
      const volume = stored.totals;
      if ((volume.pvHundredths > 0n || volume.cvHundredths > 0n) && orderVolumeOwner(stored) === null) {
        unownedVolume.push({
          orderId: commission.orderId,
          pvHundredths: volume.pvHundredths,
          cvHundredths: volume.cvHundredths,
          attributed: commission.attributedDistributorId !== null,
        });
      }
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

  const companyWallet = await client.$queryRaw<{ distributorId: string; currency: string; balanceMinor: bigint }[]>`
    SELECT d."id" AS "distributorId", p."currency", -sum(p."amountMinor")::bigint AS "balanceMinor"
    FROM "Distributor" d
    JOIN "LedgerPosting" p ON p."shopId" = d."shopId" AND p."distributorId" = d."id"
    WHERE d."shopId" = ${shopId}::uuid AND d."isCompanyNode" AND p."accountKind" IN ('wallet_pending', 'wallet_available')
    GROUP BY d."id", p."currency"
    HAVING sum(p."amountMinor") <> 0
    ORDER BY p."currency"`;

  const result = reconcileDay(expected, ledger, dropped);
  const findings = refundGaps.length + droppedMoney.length + companyWallet.length + unownedVolume.filter((order) => order.attributed).length;
  const payouts = await reconcilePayouts(client, shopId);
  return {
    ...result,
    shopId,
    day,
    replayMismatches,
    unevaluatedOrderIds: unevaluated.map((row) => row.id),
    unappliedRefundIds: unapplied.map((row) => row.id),
    refundGaps,
    droppedMoney,
    companyWallet,
    unownedVolume,
    payouts,
    balanced: result.balanced && replayMismatches.length === 0 && unevaluated.length === 0 && unapplied.length === 0 && findings === 0 && payouts.balanced,
  };
}

interface RefundRow {
  readonly id: string;
  readonly platformRefundId: string;
  readonly totalMinor: bigint;
  readonly normalized: unknown;
}

/** Every Refund row (recorded or parked) of the page's orders, by "platform platformOrderId", oldest first. */
async function platformRefunds(
  client: DbOrTx,
  shopId: string,
  orders: readonly { platform: string; platformOrderId: string }[],
): Promise<Map<string, RefundRow[]>> {
  const byOrder = new Map<string, RefundRow[]>();
  if (orders.length === 0) return byOrder;
  const rows = await client.refund.findMany({
    where: { shopId, OR: orders.map((order) => ({ platform: order.platform as never, platformOrderId: order.platformOrderId })) },
    select: { id: true, platform: true, platformOrderId: true, platformRefundId: true, totalMinor: true, normalized: true },
    orderBy: [{ refundedAt: "asc" }, { createdAt: "asc" }],
  });
  for (const row of rows) {
    const key = `${row.platform} ${row.platformOrderId}`;
    byOrder.set(key, [...(byOrder.get(key) ?? []), row]);
  }
  return byOrder;
}

/**
 * What the platform reported about one order's refunds, each with what was stored for it: the applied and
 * rejected reversals in their sequence, then refunds recorded without a reversal, then refunds the order payload
 * lists that were never recorded, then the cancellation if the order is cancelled and it was not reversed.
 */
function refundsSeen(
  reversals: readonly { refundId: string | null; sourceKey: string; status: "applied" | "rejected"; reversedMinor: bigint }[],
  rows: readonly RefundRow[],
  normalized: { taxesIncluded?: boolean; refunds?: { platformRefundId: string; totalMinor: string }[] } | null,
  cancelled: boolean,
  order: { platformOrderId: string; currency: string },
): PlatformRefundSeen[] {
  const taxesIncluded = normalized?.taxesIncluded === true;
  const byKey = new Map(rows.map((row) => [row.platformRefundId, row]));
  const cancellation = {
    platformRefundId: CANCELLATION_KEY,
    platformOrderId: order.platformOrderId,
    refundedAt: "1970-01-01T00:00:00.000Z",
    currency: order.currency,
    lines: [],
    remainder: true,
  };
  const seen: PlatformRefundSeen[] = reversals.map((reversal) => {
    const row = byKey.get(reversal.sourceKey);
    return {
      key: reversal.sourceKey,
      totalMinor: row?.totalMinor ?? 0n,
      refund: reversal.sourceKey === CANCELLATION_KEY ? cancellation : row ? refundFromJson(row.normalized as never, taxesIncluded) : null,
      stored: { status: reversal.status, reversedMinor: reversal.reversedMinor },
    };
  });
  const reversed = new Set(reversals.map((reversal) => reversal.sourceKey));
  for (const row of rows) {
    if (!reversed.has(row.platformRefundId))
      seen.push({ key: row.platformRefundId, totalMinor: row.totalMinor, refund: refundFromJson(row.normalized as never, taxesIncluded), stored: null });
  }
  for (const refund of normalized?.refunds ?? []) {
    if (!byKey.has(refund.platformRefundId) && !reversed.has(refund.platformRefundId)) {
      seen.push({ key: refund.platformRefundId, totalMinor: BigInt(refund.totalMinor), refund: null, stored: null });
    }
  }
  if (cancelled && !reversed.has(CANCELLATION_KEY)) seen.push({ key: CANCELLATION_KEY, totalMinor: 0n, refund: cancellation, stored: null });
  return seen;
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
