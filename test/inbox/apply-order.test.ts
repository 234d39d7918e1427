/**
 * The worker's fast path for orders (app/services/inbox/apply-order.server.ts) builds the engine's input from
 * the delivery it just stored instead of reading it back. These tests hold it to the general path: the same
 * snapshot and amounts as loading the stored order and computing it again, lines replaced (never doubled) when a
 * newer version of a known order lands, and the inbox row marked processed in the same transaction; the same
 * engine order from the delivery as from the stored row; the same rows from the shared read services over the
 * fast path's pg connection as over Prisma.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db, pgPool } from "~/db.server";
import { adapterFor } from "~/domain/platforms/registry";
import type { NormalizedOrder } from "~/domain/platforms/normalized";
import { loadCommissionContext } from "~/services/commissions/commission-context.server";
import { computeCommission } from "~/services/commissions/compute.server";
import { loadOrderForCommission, orderForCommissionFromNormalized } from "~/services/commissions/order-input.server";
import { placementUplineAt, uplineAt } from "~/services/genealogy/upline.server";
import { normalizeOptionsFrom } from "~/services/inbox/normalize-options.server";
import { pgRawSql } from "~/services/inbox/pg-sql.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { orderBody, orderRow, seedShop, walletDeltas, type SeededShop } from "../commissions/support";

const app = runAppAndWorkers();
let shop: SeededShop;

beforeAll(async () => {
  shop = await seedShop();
});

async function deliver(body: string, topic: string) {
  const webhookId = randomUUID();
  const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId }));
  expect(response.status).toBe(200);
  return waitUntil(
    async () => {
      const event = await db().webhookEvent.findFirst({ where: { shopId: shop.shopId, eventKey: webhookId } });
      return event && !["pending", "processing", "failed"].includes(event.status) ? event : null;
    },
    20_000,
    `webhook ${webhookId} processed`,
  );
}

class RolledBack extends Error {}

/** What the general path reads and computes for the stored order, in a transaction rolled back afterwards. */
async function recomputedWith(orderId: string) {
  let result: { order: NonNullable<Awaited<ReturnType<typeof loadOrderForCommission>>>; computed: Awaited<ReturnType<typeof computeCommission>> } | undefined;
  await db()
    .$transaction(async (tx) => {
      const order = (await loadOrderForCommission(tx, shop.shopId, orderId))!;
      result = { order, computed: await computeCommission(tx, shop.shopId, order, await loadCommissionContext(tx, shop.shopId, order)) };
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return result!;
}

const recomputed = async (orderId: string) => (await recomputedWith(orderId)).computed;

describe("the worker's fast path for orders", () => {
  it("stores the snapshot and amounts the general path computes from the stored order, and marks the inbox row in the same transaction", async () => {
    const event = await deliver(orderBody("6001", { discountCode: "WELCOME" }), "orders/paid");
    const order = (await orderRow(shop.shopId, "6001"))!;
    const commission = await db().commission.findFirstOrThrow({ where: { shopId: shop.shopId, orderId: order.id } });
    // The seeded plan: standard 10 / 5 / 3 % of 2 × 199.00, MIKE inactive (compressed).
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 3_980n, ROOT: 1_194n, SAM: 1_990n });

    const general = await recomputed(order.id);
    expect(commission.evaluation).toBe(general.row.evaluation);
    expect(commission).toMatchObject({ paidMinor: general.row.paidMinor, breakageMinor: general.row.breakageMinor, outcome: "evaluated" });

    expect(event.status).toBe("processed");
    expect(event.processedAt).not.toBeNull();
    expect(event.normalized).toEqual(order.normalized);
    const lines = await db().orderLine.findMany({ where: { shopId: shop.shopId, orderId: order.id }, orderBy: { position: "asc" } });
    expect(lines.map((line) => [line.position, line.sku, line.quantity, line.unitPriceMinor, line.netMinor])).toEqual([
      [0, "IPOD2008PINK", 1, 19_900n, 19_900n],
      [1, "IPOD2008PINK", 1, 19_900n, 19_900n],
    ]);
  });

  it("replaces the lines of a known order when a newer version lands, and computes the paid version once", async () => {
    const pending = orderBody("6002").replace('"financial_status": "paid"', '"financial_status": "pending"');
    expect(pending).toContain('"financial_status": "pending"');
    await deliver(pending, "orders/create");
    const stored = (await orderRow(shop.shopId, "6002"))!;
    expect(await db().commission.count({ where: { shopId: shop.shopId, orderId: stored.id } })).toBe(0);

    // Paid a day later, its SKU changed to one nobody mapped: the default class's 4 / 2 / 1 %.
    await deliver(orderBody("6002", { sku: "NOT-MAPPED-2", updatedAt: "2022-01-02T10:00:00-05:00" }), "orders/paid");
    const lines = await db().orderLine.findMany({ where: { shopId: shop.shopId, orderId: stored.id }, orderBy: { position: "asc" } });
    expect(lines.map((line) => line.sku)).toEqual(["NOT-MAPPED-2", "NOT-MAPPED-2"]);
    const commission = await db().commission.findFirstOrThrow({ where: { shopId: shop.shopId, orderId: stored.id } });
    expect(commission.flagTypes).toEqual(["unmapped_sku"]);
    expect(commission.evaluation).toBe((await recomputed(stored.id)).row.evaluation);
    expect(await walletDeltas(shop.shopId, stored.id)).toEqual({ JANE01: 1_592n, ROOT: 398n, SAM: 796n });

    // A later update of the computed order posts nothing more.
    await deliver(orderBody("6002", { sku: "NOT-MAPPED-2", updatedAt: "2022-01-03T10:00:00-05:00" }), "orders/updated");
    expect(await db().ledgerTransaction.count({ where: { shopId: shop.shopId, orderId: stored.id } })).toBe(3);
    expect(await walletDeltas(shop.shopId, stored.id)).toEqual({ JANE01: 1_592n, ROOT: 398n, SAM: 796n });
  });

  it("hands the engine the same order from the delivery (fast path) as from the stored row (general path)", async () => {
    const event = await deliver(orderBody("6003", { discountCode: "WELCOME", sku: "NOT-MAPPED-3" }), "orders/paid");
    const stored = (await orderRow(shop.shopId, "6003"))!;
    const delivered = adapterFor("shopify").normalize(event.topic, event.rawBody, normalizeOptionsFrom(null, event.receivedAt));
    expect(delivered?.kind).toBe("order");
    const { order } = await recomputedWith(stored.id);
    expect(orderForCommissionFromNormalized(stored.id, delivered as NormalizedOrder, { computed: true, recordedRefunds: 0 })).toEqual(order);
  });

  it("gives the shared read services the same rows over the fast path's pg connection as over Prisma", async () => {
    const client = await pgPool().connect();
    try {
      const sql = pgRawSql(client);
      const at = new Date("2022-01-01T05:00:00Z");
      for (const id of Object.values(shop.ids)) {
        expect(await uplineAt(sql, shop.shopId, id, at, 3)).toEqual(await uplineAt(db(), shop.shopId, id, at, 3));
        expect(await placementUplineAt(sql, shop.shopId, id, at, 3)).toEqual(await placementUplineAt(db(), shop.shopId, id, at, 3));
      }
      const { order } = await recomputedWith((await orderRow(shop.shopId, "6001"))!.id);
      const [overPg, overPrisma] = [await loadCommissionContext(sql, shop.shopId, order), await loadCommissionContext(db(), shop.shopId, order)];
      expect(overPg).toEqual(overPrisma);
      expect(overPg.attribution?.distributorId).toBe(shop.ids.JANE01);
    } finally {
      client.release();
    }
  });
});
