/**
 * Holds: commissions post pending and move to available once the refund window after the order has passed,
 * net of the refunds so far; refunds after the release claw back from the available wallet. Idempotent.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { releaseDueHolds } from "~/services/commissions/holds.server";
import { walletBalances } from "~/services/ledger/balances.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { LINE_A, LINE_B, orderBody, orderRow, refundBody, seedShop, walletDeltas, type SeededShop } from "./support";

const app = runAppAndWorkers();
let shop: SeededShop;

beforeAll(async () => {
  shop = await seedShop();
});

async function deliver(body: string, topic: string) {
  const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId: randomUUID() }));
  expect(response.status).toBe(200);
}

const balancesOf = async (code: string) => walletBalances(db(), shop.shopId, shop.ids[code]!);

describe("hold release", () => {
  // seedShop keeps commissions 3,650 days: orders of 2022-01-01 are held until 2031-12-30.
  const before = new Date("2031-12-29T00:00:00Z");
  const after = new Date("2032-01-01T00:00:00Z");

  it("keeps commissions pending until the refund window has passed, then releases what refunds left", async () => {
    await deliver(orderBody("4001"), "orders/paid");
    const order = await waitUntil(() => orderRow(shop.shopId, "4001"), 20_000, "the order");
    const commission = await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, "the commission");
    expect(commission.heldUntil.toISOString()).toBe("2031-12-30T00:00:00.000Z");
    await deliver(refundBody("4001", "9401", [LINE_A]), "refunds/create");
    await waitUntil(() => db().commissionReversal.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, "the reversal");

    expect(await releaseDueHolds(db(), { now: before, shopId: shop.shopId })).toEqual({ commissions: 0, transactions: 0 });
    expect(await balancesOf("JANE01")).toEqual([{ currency: "USD", pendingMinor: 1_990n, availableMinor: 0n }]);

    expect(await releaseDueHolds(db(), { now: after, shopId: shop.shopId })).toEqual({ commissions: 1, transactions: 3 });
    expect(await balancesOf("JANE01")).toEqual([{ currency: "USD", pendingMinor: 0n, availableMinor: 1_990n }]);
    expect(await balancesOf("SAM")).toEqual([{ currency: "USD", pendingMinor: 0n, availableMinor: 995n }]);
    expect(await balancesOf("ROOT")).toEqual([{ currency: "USD", pendingMinor: 0n, availableMinor: 597n }]);

    // Again: nothing due any more, and releasing that commission directly posts nothing either.
    expect(await releaseDueHolds(db(), { now: after, shopId: shop.shopId })).toEqual({ commissions: 0, transactions: 0 });
    expect(await db().ledgerTransaction.count({ where: { shopId: shop.shopId, kind: "hold_release" } })).toBe(3);
  });

  it("claws a refund after the release back from the available wallet", async () => {
    await deliver(refundBody("4001", "9402", [LINE_B]), "refunds/create");
    const order = (await orderRow(shop.shopId, "4001"))!;
    await waitUntil(
      async () => (await db().commissionReversal.count({ where: { shopId: shop.shopId, orderId: order.id } })) === 2,
      20_000,
      "the second reversal",
    );
    expect(await balancesOf("JANE01")).toEqual([{ currency: "USD", pendingMinor: 0n, availableMinor: 0n }]);
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 0n, ROOT: 0n, SAM: 0n });
    const clawbacks = await db().ledgerPosting.findMany({
      where: { shopId: shop.shopId, distributorId: shop.ids.JANE01, transaction: { kind: "commission_reversal", orderId: order.id } },
      orderBy: { id: "asc" },
      select: { accountKind: true, amountMinor: true },
    });
    expect(clawbacks).toEqual([
      { accountKind: "wallet_pending", amountMinor: 1_990n },
      { accountKind: "wallet_available", amountMinor: 1_990n },
    ]);
  });
});
