/**
 * Issue 4 acceptance, end to end: signed Shopify webhooks through the real ingest route and worker → calc
 * snapshot and ledger entries, exact to the cent, with replays, refunds, cancellation and reconciliation.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { assertBalanced, commissionExpenseAccount, walletPendingAccount } from "~/domain/ledger";
import { postTransactions } from "~/services/ledger/post.server";
import { evaluationFromJson } from "~/domain/engine";
import { reconcileShopDay } from "~/services/commissions/reconcile.server";
import { applyStrandedRefunds } from "~/services/commissions/stranded-refunds.server";
import { storeRefund } from "~/services/orders/store-refund.server";
import { adapterFor } from "~/domain/platforms/registry";
import type { NormalizedRefund } from "~/domain/platforms/normalized";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { LINE_A, LINE_B, ledgerCounts, orderBody, orderRow, refundBody, seedShop, walletDeltas, type SeededShop } from "./support";

const app = runAppAndWorkers();
let shop: SeededShop;

beforeAll(async () => {
  shop = await seedShop();
});

const deliver = async (body: string, topic: string, webhookId: string = randomUUID()) => {
  const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId }));
  expect(response.status).toBe(200);
  return webhookId;
};

/** Waits until every inbox row is processed (or dead), so "nothing new" assertions are not premature. */
async function settled() {
  await waitUntil(
    async () => (await db().webhookEvent.count({ where: { status: { in: ["pending", "processing", "failed"] } } })) === 0,
    30_000,
    "the inbox to settle",
  );
}

async function commissionOf(platformOrderId: string) {
  const order = await waitUntil(() => orderRow(shop.shopId, platformOrderId), 20_000, `order ${platformOrderId}`);
  const commission = await waitUntil(
    () => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }),
    20_000,
    `commission of ${platformOrderId}`,
  );
  return { order, commission };
}

describe("a paid Shopify order → ledger", () => {
  const orderId = "820982911946154508";

  it("posts the unilevel commissions of the attributed distributor's upline, exact to the cent, as pending", async () => {
    await deliver(orderBody(orderId), "orders/paid");
    const { order, commission } = await commissionOf(orderId);

    expect(commission).toMatchObject({
      outcome: "evaluated",
      attributedDistributorId: shop.ids.JANE01,
      attributionSource: "cart_attribute",
      attributionCode: "JANE01",
      currency: "USD",
      // 2 lines × 199.00 in class "standard": L1 JANE01 10 %, MIKE (inactive) compressed, L2 SAM 5 %, L3 ROOT 3 %.
      paidMinor: 7_164n,
      breakageMinor: 0n,
      flagTypes: [],
    });
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 3_980n, ROOT: 1_194n, SAM: 1_990n });

    const transactions = await db().ledgerTransaction.findMany({
      where: { shopId: shop.shopId, orderId: order.id },
      include: { postings: true },
      orderBy: { idempotencyKey: "asc" },
    });
    expect(transactions.map((t) => [t.kind, t.idempotencyKey])).toEqual(
      [
        ["commission", `commission:${order.id}:unilevel:${shop.ids.JANE01}`],
        ["commission", `commission:${order.id}:unilevel:${shop.ids.ROOT}`],
        ["commission", `commission:${order.id}:unilevel:${shop.ids.SAM}`],
      ].sort((a, b) => (a[1]! < b[1]! ? -1 : 1)),
    );
    for (const transaction of transactions) {
      expect(transaction.postings).toHaveLength(2);
      expect(() => assertBalanced(transaction.postings)).not.toThrow();
      // Pending until the refund window passes.
      expect(transaction.postings.map((p) => p.accountKind).sort()).toEqual(["commission_expense", "wallet_pending"]);
    }

    // The stored snapshot explains and replays it: plan v1, the upline as it stood on 2022-01-01.
    const evaluation = evaluationFromJson(commission.evaluation!);
    expect(evaluation.snapshot.planVersion.version).toBe(1);
    expect(evaluation.snapshot.upline.map((node) => [node.distributorId, node.status, node.sponsorDepth])).toEqual([
      [shop.ids.JANE01, "active", 3],
      [shop.ids.MIKE, "inactive", 2],
      [shop.ids.SAM, "active", 1],
      [shop.ids.ROOT, "active", 0],
    ]);
    expect(evaluation.components[0]).toMatchObject({ compression: "dynamic", compressed: [shop.ids.MIKE] });
  });

  it("posts nothing more when the same webhook arrives 20 more times, with new and with the same webhook id", async () => {
    const before = await ledgerCounts(shop.shopId);
    const sameId = randomUUID();
    for (let i = 0; i < 10; i += 1) await deliver(orderBody(orderId), "orders/paid");
    for (let i = 0; i < 10; i += 1) await deliver(orderBody(orderId), "orders/updated", sameId);
    await settled();
    expect(await ledgerCounts(shop.shopId)).toEqual(before);
    expect(await db().commission.count({ where: { shopId: shop.shopId } })).toBe(1);
    expect(await db().webhookEvent.count({ where: { shopId: shop.shopId, eventKey: sameId } })).toBe(1);
  });

  it("reverses a refund of one line exactly, and the second refund nets every recipient to 0", async () => {
    const order = (await orderRow(shop.shopId, orderId))!;
    await deliver(refundBody(orderId, "890088186047892319", [LINE_A]), "refunds/create");
    await waitUntil(
      () => db().commissionReversal.findFirst({ where: { shopId: shop.shopId, orderId: order.id, sourceKey: "890088186047892319" } }),
      20_000,
      "the first reversal",
    );
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 1_990n, ROOT: 597n, SAM: 995n });

    // The same refund again (a retried delivery) reverses nothing more.
    const before = await ledgerCounts(shop.shopId);
    await deliver(refundBody(orderId, "890088186047892319", [LINE_A]), "refunds/create");
    await settled();
    expect(await ledgerCounts(shop.shopId)).toEqual(before);

    await deliver(refundBody(orderId, "890088186047892320", [LINE_B]), "refunds/create");
    await waitUntil(
      () => db().commissionReversal.findFirst({ where: { shopId: shop.shopId, orderId: order.id, sourceKey: "890088186047892320" } }),
      20_000,
      "the second reversal",
    );
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 0n, ROOT: 0n, SAM: 0n });
  });

  it("reconciles the order's day with delta 0", async () => {
    const report = await reconcileShopDay(db(), shop.shopId, "2022-01-01");
    expect(report.balanced).toBe(true);
    expect(report.items).toEqual([]);
    expect(report.totals).toEqual([{ currency: "USD", expectedMinor: 0n, ledgerMinor: 0n, deltaMinor: 0n }]);
    expect(report.ordersCompared).toBe(1);
  });

  it("itemizes a ledger entry no snapshot explains", async () => {
    const order = (await orderRow(shop.shopId, orderId))!;
    // A transaction written outside the engine (as a buggy or malicious writer would): the day no longer balances.
    await db().$transaction((tx) =>
      postTransactions(tx, shop.shopId, [
        {
          idempotencyKey: `manual:${order.id}`,
          kind: "commission",
          occurredAt: "2022-01-01T00:00:00Z",
          postings: [
            { account: commissionExpenseAccount(shop.shopId, "USD"), amountMinor: 100n, currency: "USD" },
            { account: walletPendingAccount(shop.shopId, "USD", shop.ids.JANE01!), amountMinor: -100n, currency: "USD" },
          ],
          metadata: { shopId: shop.shopId, orderId: order.id, rule: "manual", distributorId: shop.ids.JANE01!, refundId: null, levels: [], orderLineIds: [] },
        },
      ]),
    );
    const report = await reconcileShopDay(db(), shop.shopId, "2022-01-01");
    expect(report.balanced).toBe(false);
    expect(report.items).toEqual([
      { orderId: order.id, currency: "USD", expectedMinor: 0n, ledgerMinor: 100n, deltaMinor: 100n, status: "unexpected_in_ledger" },
    ]);
  });
});

describe("out of order, unmapped, cancelled", () => {
  it("applies a refund delivered before its order when the order lands", async () => {
    const orderId = "5001";
    await deliver(refundBody(orderId, "7001", [LINE_A]), "refunds/create");
    await waitUntil(() => db().refund.findFirst({ where: { shopId: shop.shopId, platformRefundId: "7001", status: "parked" } }), 20_000, "the parked refund");
    await deliver(orderBody(orderId), "orders/paid");
    const { order } = await commissionOf(orderId);
    await waitUntil(() => db().commissionReversal.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, "the reversal");
    // Line A's commissions posted and reversed; line B's remain.
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 1_990n, ROOT: 597n, SAM: 995n });
  });

  it("applies a refund whose transaction was still open when its order arrived: the order waits for it", async () => {
    const orderId = "5005";
    // The refund's transaction, as the worker runs it, is still open when the order lands. Both take the
    // order's advisory lock (app/services/orders/order-lock.server.ts), so the order's transaction waits, then
    // sees the committed, parked refund, records it against the order and reverses it, in its own transaction.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const parked = db().$transaction(
      async (tx) => {
        const refund = adapterFor("shopify").normalize("refunds/create", refundBody(orderId, "7005", [LINE_A]), { deliveredAt: new Date().toISOString() });
        const stored = await storeRefund(tx, shop.shopId, refund as NormalizedRefund, randomUUID());
        expect(stored.parked).toBe(true);
        await gate;
      },
      { timeout: 60_000 },
    );
    await deliver(orderBody(orderId), "orders/paid");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await orderRow(shop.shopId, orderId)).toBeNull(); // held behind the refund's lock
    release();
    await parked;

    const { order } = await commissionOf(orderId);
    const refund = await waitUntil(async () => {
      const row = await db().refund.findFirst({ where: { shopId: shop.shopId, platformRefundId: "7005" } });
      return row?.status === "recorded" ? row : null;
    });
    expect(refund.orderId).toBe(order.id);
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 1_990n, ROOT: 597n, SAM: 995n });
    expect((await reconcileShopDay(db(), shop.shopId, "2022-01-01")).unappliedRefundIds).toEqual([]);
    // The stranded-refund sweeper, still scheduled as a safety net, finds nothing to do.
    await applyStrandedRefunds(db(), { shopId: shop.shopId });
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 1_990n, ROOT: 597n, SAM: 995n });
  });

  it("flags an unmapped SKU, pays it in the shop's default class, and never skips it", async () => {
    const orderId = "5002";
    await deliver(orderBody(orderId, { sku: "NOT-MAPPED-1" }), "orders/paid");
    const { order, commission } = await commissionOf(orderId);
    expect(commission.flagTypes).toEqual(["unmapped_sku"]);
    const evaluation = evaluationFromJson(commission.evaluation!);
    expect(evaluation.flags).toEqual([
      { type: "unmapped_sku", orderLineId: LINE_A, sku: "NOT-MAPPED-1", platformVariantId: "808950999", classId: "general" },
      { type: "unmapped_sku", orderLineId: LINE_B, sku: "NOT-MAPPED-1", platformVariantId: "808950999", classId: "general" },
    ]);
    // "general": 4 / 2 / 1 % of 199.00 per line.
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 1_592n, ROOT: 398n, SAM: 796n });
  });

  it("reverses everything when a paid order is cancelled", async () => {
    const orderId = "5003";
    await deliver(orderBody(orderId), "orders/paid");
    const { order } = await commissionOf(orderId);
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 3_980n, ROOT: 1_194n, SAM: 1_990n });
    await deliver(orderBody(orderId, { cancelled: true, updatedAt: "2022-01-02T10:00:00-05:00" }), "orders/cancelled");
    await waitUntil(
      () => db().commissionReversal.findFirst({ where: { shopId: shop.shopId, orderId: order.id, sourceKey: "cancellation" } }),
      20_000,
      "the cancellation",
    );
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 0n, ROOT: 0n, SAM: 0n });
    // Cancelled again (a replay): nothing more.
    const before = await ledgerCounts(shop.shopId);
    await deliver(orderBody(orderId, { cancelled: true, updatedAt: "2022-01-02T10:00:00-05:00" }), "orders/cancelled");
    await settled();
    expect(await ledgerCounts(shop.shopId)).toEqual(before);
  });

  it("collapses 20 concurrent deliveries of a new order into one commission, and applies two concurrent refunds exactly", async () => {
    const orderId = "5006";
    await Promise.all(Array.from({ length: 20 }, () => deliver(orderBody(orderId), "orders/paid")));
    await settled();
    const { order } = await commissionOf(orderId);
    expect(await db().commission.count({ where: { shopId: shop.shopId, orderId: order.id } })).toBe(1);
    expect(await db().ledgerTransaction.count({ where: { shopId: shop.shopId, orderId: order.id } })).toBe(3);

    await Promise.all([deliver(refundBody(orderId, "7061", [LINE_A]), "refunds/create"), deliver(refundBody(orderId, "7062", [LINE_B]), "refunds/create")]);
    await settled();
    const reversals = await db().commissionReversal.findMany({ where: { shopId: shop.shopId, orderId: order.id }, orderBy: { sequence: "asc" } });
    expect(reversals.map((reversal) => reversal.sequence)).toEqual([1, 2]);
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 0n, ROOT: 0n, SAM: 0n });
  });

  it("records an order nobody is attributed to as breakage and posts nothing", async () => {
    const orderId = "5004";
    await deliver(orderBody(orderId, { ref: null }), "orders/paid");
    const { order, commission } = await commissionOf(orderId);
    expect(commission).toMatchObject({
      outcome: "evaluated",
      attributedDistributorId: null,
      paidMinor: 0n,
      breakageMinor: 7_164n,
      flagTypes: ["no_attributed_distributor"],
    });
    expect(await db().ledgerTransaction.count({ where: { shopId: shop.shopId, orderId: order.id } })).toBe(0);
  });
});
