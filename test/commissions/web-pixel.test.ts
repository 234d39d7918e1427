/**
 * Issue 14: the Web Pixel's checkout report, through the real routes and workers. A report is only a hint: it
 * creates nothing by itself, and it can only point an order Shopify delivered (by signed webhook) at an affiliate.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { ONE_OFF_JOBS, queues } from "~/queues.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";
import { ledgerCounts, orderBody, orderRow, seedShop, walletDeltas, type OrderEdits, type SeededShop } from "./support";

const app = runAppAndWorkers();
let shop: SeededShop;

beforeAll(async () => {
  shop = await seedShop();
});

/** What the pixel posts: a text/plain JSON body (a simple CORS request), no signature. */
function report(body: Record<string, unknown>) {
  return fetch(`${app.server.url}/pixel/shopify`, { method: "POST", headers: { "Content-Type": "text/plain;charset=UTF-8" }, body: JSON.stringify(body) });
}

/** Posts a report and waits for the worker's reconciliation job to finish; returns what it decided. */
async function reportAndReconcile(orderId: string, code: string) {
  const response = await report({ shop: TEST_SHOP, order_id: `gid://shopify/Order/${orderId}`, code });
  expect(response.status).toBe(202);
  expect(response.headers.get("access-control-allow-origin")).toBe("*");
  const signal = await db().pixelSignal.findFirstOrThrow({ where: { shopId: shop.shopId, platformOrderId: orderId } });
  const job = await waitUntil(
    async () => {
      const found = await queues().maintenance.getJob(`pixel-${signal.id}`);
      return found && (await found.isCompleted()) ? found : null;
    },
    20_000,
    `the reconciliation of ${orderId}`,
  );
  expect(job.name).toBe(ONE_OFF_JOBS.reconcilePixelSignal);
  return job.returnvalue as { outcome: string };
}

async function deliverOrder(orderId: string, edits: OrderEdits) {
  const body = orderBody(orderId, edits);
  const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic: "orders/paid", webhookId: randomUUID() }));
  expect(response.status).toBe(200);
  const order = await waitUntil(() => orderRow(shop.shopId, orderId), 20_000, `order ${orderId}`);
  const commission = await waitUntil(
    () => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }),
    20_000,
    `commission of ${orderId}`,
  );
  return { order, commission };
}

describe("a Web Pixel report", () => {
  it("without a matching delivered order creates nothing: no order, no commission, no ledger entry", async () => {
    const before = { orders: await db().order.count(), commissions: await db().commission.count(), ledger: await ledgerCounts(shop.shopId) };
    expect(await reportAndReconcile("4400001", "JANE01")).toEqual({ outcome: "waiting_for_order" });
    expect({ orders: await db().order.count(), commissions: await db().commission.count(), ledger: await ledgerCounts(shop.shopId) }).toEqual(before);
    expect(await db().auditLog.count({ where: { shopId: shop.shopId, action: "order.reattributed_by_pixel" } })).toBe(0);
  });

  it("is refused for a shop that has not installed the app, or when it is not a report", async () => {
    expect((await report({ shop: "nobody.myshopify.com", order_id: "1", code: "JANE01" })).status).toBe(404);
    const invalid = await report({ shop: TEST_SHOP, order_id: "12; DROP TABLE", code: "!!" });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).errors.map((error: { field: string }) => error.field).sort()).toEqual(["code", "order_id"]);
    expect((await fetch(`${app.server.url}/pixel/shopify`, { method: "POST", body: "not json" })).status).toBe(400);
  });

  it("points a delivered order that went to nobody at the affiliate, to the cent, when it arrives after the webhook", async () => {
    const { order, commission } = await deliverOrder("4400002", { ref: null, customerId: "7770001" });
    expect(commission).toMatchObject({ attributedDistributorId: null, paidMinor: 0n });
    expect(await reportAndReconcile("4400002", "jane-01")).toMatchObject({ outcome: "reattributed", distributorId: shop.ids.JANE01, source: "web_pixel" });

    const again = await db().commission.findFirstOrThrow({ where: { shopId: shop.shopId, orderId: order.id } });
    expect(again).toMatchObject({ attributedDistributorId: shop.ids.JANE01, attributionSource: "web_pixel", attributionCode: "JANE01", paidMinor: 7_164n });
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 3_980n, ROOT: 1_194n, SAM: 1_990n });
    expect(await db().pixelSignal.findFirstOrThrow({ where: { shopId: shop.shopId, platformOrderId: "4400002" } })).toMatchObject({ outcome: "reattributed" });
    expect(await db().auditLog.count({ where: { shopId: shop.shopId, action: "order.reattributed_by_pixel", entityId: order.id } })).toBe(1);
  });

  it("counts when it arrives before the webhook", async () => {
    expect(await reportAndReconcile("4400003", "JANE01")).toEqual({ outcome: "waiting_for_order" });
    const { order, commission } = await deliverOrder("4400003", { ref: null, customerId: "7770002" });
    expect(commission).toMatchObject({ attributedDistributorId: shop.ids.JANE01, attributionSource: "web_pixel" });
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 3_980n, ROOT: 1_194n, SAM: 1_990n });
  });

  it("never overrides what the order itself carries, nor an order with money on it", async () => {
    const { order } = await deliverOrder("4400004", { ref: "SAM", customerId: "7770003" });
    const posted = await walletDeltas(shop.shopId, order.id);
    expect(await reportAndReconcile("4400004", "JANE01")).toEqual({ outcome: "ignored", reason: "the order was attributed by cart_attribute" });
    expect(await db().commission.findFirstOrThrow({ where: { shopId: shop.shopId, orderId: order.id } })).toMatchObject({
      attributedDistributorId: shop.ids.SAM,
    });
    expect(await walletDeltas(shop.shopId, order.id)).toEqual(posted);
  });
});
