/**
 * Refunds that used to reverse nothing or too much (issue 11, items 5–8), delivered as the platforms send them
 * (Shopify's and WooCommerce's published payloads, signed, through the ingest route) and read back through
 * GET /api/v1/orders/:id/commissions. The seeded plan pays 10 / 5 / 3 % (JANE01, SAM, ROOT) on the sample's
 * two lines of 199.00; the buyer paid 398.00 + 10.00 shipping.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { parseJsonLossless } from "~/domain/platforms/json";
import { at, record, records } from "~test/support/platforms/json-edit";
import { fixtureText } from "~test/support/platforms/fixtures";
import { createApiToken } from "~/services/api/tokens.server";
import { updateCommissionSettings } from "~/services/commissions/setup.server";
import { createConnection } from "~/services/connections.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil, wooCommerceDelivery } from "../support/deliveries";
import { LINE_A, orderBody, orderRow, refundBody, seedShop, type SeededShop } from "./support";

const app = runAppAndWorkers();
let shop: SeededShop;
let token: string;

beforeAll(async () => {
  shop = await seedShop();
  token = (await createApiToken(db(), shop.shopId, "reader", ["orders:read"])).token;
});

const usd = (minor: string, amount: string) => ({ amount_minor: minor, amount, currency: "USD" });

async function deliver(body: string, topic: string) {
  const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId: randomUUID() }));
  expect(response.status).toBe(200);
}

async function paidOrder(orderId: string, body = orderBody(orderId)): Promise<string> {
  await deliver(body, "orders/paid");
  const order = await waitUntil(() => orderRow(shop.shopId, orderId), 20_000, "the order");
  await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, "the commission");
  return order.id;
}

async function reversals(orderId: string, count: number) {
  return waitUntil(
    async () => {
      const rows = await db().commissionReversal.findMany({ where: { shopId: shop.shopId, orderId } });
      return rows.length >= count && rows;
    },
    20_000,
    `${count} reversal(s)`,
  );
}

interface CommissionsBody {
  commission: { totals: { reversed: unknown; net: unknown }; reversals: { source: string; lines: { distributor_id: string; amount: unknown }[] }[] };
}

async function commissions(platformOrderId: string): Promise<CommissionsBody> {
  const response = await fetch(`${app.server.url}/api/v1/orders/${platformOrderId}/commissions`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as CommissionsBody;
}

const money = (minor: string, currency: string) => ({
  shop_money: { amount: minor, currency_code: currency },
  presentment_money: { amount: minor, currency_code: currency },
});

/** A Shopify refund of an amount only: no line, an order adjustment for the discrepancy, and the transaction. */
function amountOnlyRefund(orderId: string, refundId: string, amount: string): string {
  const refund = record(parseJsonLossless(refundBody(orderId, refundId, [])));
  refund.order_adjustments = [
    {
      id: Number(refundId) + 1,
      order_id: orderId,
      refund_id: refundId,
      kind: "refund_discrepancy",
      reason: "Refund discrepancy",
      amount: `-${amount}`,
      amount_set: money(`-${amount}`, "USD"),
      tax_amount: "0.00",
      tax_amount_set: money("0.00", "USD"),
    },
  ];
  refund.transactions = [{ id: Number(refundId) + 2, order_id: orderId, kind: "refund", gateway: "bogus", status: "success", amount, currency: "USD" }];
  return JSON.stringify(refund);
}

describe("a refund with no line items (item 5)", () => {
  it("Shopify: 40.80 of the 408.00 paid takes back 10 % of every commission, to the cent", async () => {
    await paidOrder("8501");
    await deliver(amountOnlyRefund("8501", "9501", "40.80"), "refunds/create");
    await reversals((await orderRow(shop.shopId, "8501"))!.id, 1);
    const body = await commissions("8501");
    // 39.80 of the 398.00 base comes back, 19.90 per line: JANE 1.99 + 1.99, SAM 1.00 + 1.00 (0.995 half-even),
    // ROOT 0.60 + 0.60 (0.597).
    expect(body.commission.totals.reversed).toEqual(usd("-718", "-7.18"));
    expect(body.commission.reversals.map((reversal) => reversal.source)).toEqual(["9501"]);
  });

  it("Shopify: an amount-only refund never takes back more than is left", async () => {
    await paidOrder("8502");
    await deliver(refundBody("8502", "9502", [LINE_A]), "refunds/create");
    const id = (await orderRow(shop.shopId, "8502"))!.id;
    await reversals(id, 1);
    await deliver(amountOnlyRefund("8502", "9503", "400.00"), "refunds/create");
    await reversals(id, 2);
    const body = await commissions("8502");
    expect(body.commission.totals).toMatchObject({ reversed: usd("-7164", "-71.64"), net: usd("0", "0.00") });
  });

  it("WooCommerce: the published refund of 10.00 with no lines reverses its share of the 29.35 paid", async () => {
    const woo = await createConnection(db(), shop.shopId, { platform: "woocommerce", name: "Woo store" });
    await deliverWooOrder(woo, "727", []);
    const refund = JSON.stringify({ ...record(parseJsonLossless(fixtureText("woocommerce", "refund-726.wc-v3.docs.json"))), parent_id: 727, currency: "USD" });
    expect((await fetch(`${app.server.url}${woo.ingestPath}`, wooCommerceDelivery(refund, woo.webhookSecret, "refund.created"))).status).toBe(200);
    const order = await waitUntil(
      () => db().order.findFirst({ where: { shopId: shop.shopId, platform: "woocommerce", platformOrderId: "727" } }),
      20_000,
      "the order",
    );
    await reversals(order.id, 1);
    // Base 18.00 (6.00 + 12.00 on the general class: 4 / 2 / 1 %) earns 0.24+0.48, 0.12+0.24, 0.06+0.12.
    // 10.00 of the 29.35 paid is 6.13 of base (half-even), spread 2.04 / 4.09: JANE 0.08 + 0.16, SAM 0.04 + 0.08,
    // ROOT 0.02 + 0.04.
    expect((await commissions("727")).commission.totals.reversed).toEqual(usd("-42", "-0.42"));
  });
});

async function deliverWooOrder(woo: Awaited<ReturnType<typeof createConnection>>, id: string, refunds: unknown[], modified = "2017-03-22T19:28:08") {
  const order = record(parseJsonLossless(fixtureText("woocommerce", "order-727.wc-v3.docs.json")));
  order.id = Number(id);
  order.meta_data = [{ id: 1, key: "upline_ref", value: "JANE01" }];
  order.date_created_gmt = "2022-01-01T00:00:00";
  order.date_modified_gmt = modified;
  order.refunds = refunds;
  const body = JSON.stringify(order);
  expect((await fetch(`${app.server.url}${woo.ingestPath}`, wooCommerceDelivery(body, woo.webhookSecret))).status).toBe(200);
}

describe("a tax-inclusive shop (item 6)", () => {
  it("takes the refund's tax out before reversing: half of a line refunded reverses half its commission", async () => {
    // Line A costs 199.00 including 33.17 VAT (20 %): its net is 165.83. Line B carries no tax.
    const order = record(parseJsonLossless(orderBody("8601")));
    order.taxes_included = true;
    order.total_tax = "33.17";
    order.total_tax_set = money("33.17", "USD");
    at(order, "line_items[0]").tax_lines = [{ title: "VAT", rate: 0.2, price: "33.17", price_set: money("33.17", "USD") }];
    const orderId = await paidOrder("8601", JSON.stringify(order));

    // Half of line A: 99.50 including 16.58 tax, i.e. 82.92 of its 165.83 net.
    const refund = record(parseJsonLossless(refundBody("8601", "9601", [LINE_A])));
    const item = records(refund.refund_line_items)[0]!;
    Object.assign(item, { subtotal: 99.5, total_tax: 16.58, subtotal_set: money("99.50", "USD"), total_tax_set: money("16.58", "USD") });
    await deliver(JSON.stringify(refund), "refunds/create");
    await reversals(orderId, 1);
    // Line A earned JANE 16.58, SAM 8.29, ROOT 4.97; 82.92 / 165.83 of each: 8.29 + 4.15 + 2.49. Counting the tax as
    // merchandise (99.50 / 165.83) would take back 9.95 + 4.97 + 2.98.
    expect((await commissions("8601")).commission.totals.reversed).toEqual(usd("-1493", "-14.93"));
  });
});

describe("a payload's own refunds (item 8)", () => {
  it("Shopify orders/updated with refunds[] reverses them; the refunds/create of the same refund then is a no-op", async () => {
    const orderId = await paidOrder("8801");
    const updated = record(parseJsonLossless(orderBody("8801", { updatedAt: "2022-01-02T00:00:00Z" })));
    updated.financial_status = "partially_refunded";
    updated.refunds = [record(parseJsonLossless(refundBody("8801", "9801", [LINE_A])))];
    await deliver(JSON.stringify(updated), "orders/updated");
    await reversals(orderId, 1);
    const after = await commissions("8801");
    expect(after.commission.totals.reversed).toEqual(usd("-3582", "-35.82"));

    await deliver(refundBody("8801", "9801", [LINE_A]), "refunds/create");
    await waitUntil(() => db().refund.findFirst({ where: { shopId: shop.shopId, platformRefundId: "9801" } }), 20_000, "the refund");
    await waitUntil(
      async () =>
        (await db().webhookEvent.count({ where: { shopId: shop.shopId, topic: "refunds/create", status: { in: ["pending", "processing", "failed"] } } })) === 0,
      20_000,
      "the refund delivery",
    );
    expect(await db().commissionReversal.count({ where: { shopId: shop.shopId, orderId } })).toBe(1);
    expect((await commissions("8801")).commission.totals.reversed).toEqual(usd("-3582", "-35.82"));
  });

  it("WooCommerce order.updated with refunds[] totals and no REST credentials reverses them once", async () => {
    const woo = await createConnection(db(), shop.shopId, { platform: "woocommerce", name: "Woo without REST" });
    await deliverWooOrder(woo, "728", []);
    const order = await waitUntil(
      () => db().order.findFirst({ where: { shopId: shop.shopId, platform: "woocommerce", platformOrderId: "728" } }),
      20_000,
      "the order",
    );
    await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, "the commission");
    await deliverWooOrder(woo, "728", [{ id: 826, reason: "", total: "-10.00" }], "2017-03-23T10:00:00");
    await reversals(order.id, 1);
    expect((await commissions("728")).commission.totals.reversed).toEqual(usd("-42", "-0.42"));
    // The same refund again, fetched with its (absent) lines: no second reversal.
    const refund = JSON.stringify({
      ...record(parseJsonLossless(fixtureText("woocommerce", "refund-726.wc-v3.docs.json"))),
      id: 826,
      parent_id: 728,
      currency: "USD",
    });
    expect((await fetch(`${app.server.url}${woo.ingestPath}`, wooCommerceDelivery(refund, woo.webhookSecret, "refund.created"))).status).toBe(200);
    await waitUntil(
      async () =>
        (await db().webhookEvent.count({ where: { shopId: shop.shopId, topic: "refund.created", status: { in: ["pending", "processing", "failed"] } } })) === 0,
      20_000,
      "the refund delivery",
    );
    expect(await db().commissionReversal.count({ where: { shopId: shop.shopId, orderId: order.id } })).toBe(1);
  });
});

describe("shipping in the commission base (item 7)", () => {
  it("a shipping-only refund takes back the shipping's share of every commission", async () => {
    await updateCommissionSettings(db(), shop.shopId, { includeShipping: true }, "test");
    try {
      const orderId = await paidOrder("8701");
      const refund = record(parseJsonLossless(refundBody("8701", "9701", [])));
      refund.refund_shipping_lines = [{ id: 1, shipping_line_id: 2, subtotal_amount_set: money("10.00", "USD"), tax_amount_set: money("0.00", "USD") }];
      refund.transactions = [{ id: 3, kind: "refund", status: "success", amount: "10.00", currency: "USD" }];
      await deliver(JSON.stringify(refund), "refunds/create");
      await reversals(orderId, 1);
      // Each line's base is 199.00 + 5.00 shipping: JANE 20.40, SAM 10.20, ROOT 6.12 per line; 5.00 / 204.00 of
      // each comes back: 0.50, 0.25, 0.15 per line.
      expect((await commissions("8701")).commission.totals.reversed).toEqual(usd("-180", "-1.80"));
    } finally {
      await updateCommissionSettings(db(), shop.shopId, { includeShipping: false }, "test");
    }
  });
});
