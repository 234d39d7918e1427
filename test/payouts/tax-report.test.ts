/**
 * The year-end tax report through the REST API, exact to the cent. Balances come from API orders (10 % of the
 * amount on the "euro" class, so any cent is reachable), payouts go through runs the real worker pays: bank
 * items marked paid, PayPal and Shopify store credit against local fakes. Checked: totals per payee, method and
 * currency; only the merchant's own rails (bank, store credit) count toward the 1099-NEC threshold ($2,000 or
 * more from 2026), PayPal being reported on 1099-K by PayPal; a returned PayPal item is no payment; the tax
 * form status set through the API (and kept when the payout method changes).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { mapSku } from "~/services/commissions/setup.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { storeOfflineSession } from "../support/admin-browser";
import { TEST_SHOP, waitUntil } from "../support/deliveries";
import { startFakePayPal, type FakePayPal } from "../support/fakes/paypal";
import { startFakeStoreCredit, type FakeStoreCredit } from "../support/fakes/shopify-store-credit";
import { api, available, releaseAll, seedPayoutShop, type Code, type PayoutShop } from "./support";

process.env.PAYOUT_POLL_MS = "300";

const app = runAppAndWorkers();
const YEAR = new Date().getUTCFullYear();
let shop: PayoutShop;
let paypal: FakePayPal;
let storeCredit: FakeStoreCredit;
let call: ReturnType<typeof api>;
let orders: ReturnType<typeof api>;
let orderNumber = 7_000;

beforeAll(async () => {
  paypal = await startFakePayPal();
  shop = await seedPayoutShop();
  await storeOfflineSession(TEST_SHOP);
  const session = await db().session.findUniqueOrThrow({ where: { id: `offline_${TEST_SHOP}` } });
  storeCredit = await startFakeStoreCredit(session.accessToken);
  Object.assign(process.env, {
    PAYPAL_BASE_URL: paypal.url,
    PAYPAL_CLIENT_ID: "client",
    PAYPAL_CLIENT_SECRET: "secret",
    SHOPIFY_ADMIN_BASE_URL: storeCredit.url,
  });
  await mapSku(db(), shop.shopId, { platform: "api", sku: "TENPC", classKey: "euro" });
  call = api(app.server.url, shop.token);
  orders = api(app.server.url, (await createApiToken(db(), shop.shopId, "orders", ["orders:write"])).token);
}, 180_000);

afterAll(async () => {
  await paypal?.close();
  await storeCredit?.close();
});

async function setMethod(code: Code, body: unknown) {
  expect((await call("POST", `/api/v1/distributors/${shop.ids[code]}/payout-method`, body)).status).toBe(200);
}

/** An API order referred by `code` paying it 10 % of `amount` at level 1, released from its hold. */
async function earn(code: Code, amount: string) {
  const id = `tax-${orderNumber++}`;
  const response = await orders("POST", "/api/v1/orders", {
    platform_order_id: id,
    currency: "USD",
    referrer_id: code,
    sku: "TENPC",
    quantity: 1,
    amount,
    ordered_at: "2021-06-15T00:00:00Z",
  });
  expect(response.status).toBe(202);
  await waitUntil(
    async () => {
      const order = await db().order.findFirst({ where: { shopId: shop.shopId, platform: "api", platformOrderId: id }, select: { id: true } });
      return order && db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } });
    },
    20_000,
    `the commission of ${id}`,
  );
}

/** Creates and approves a run, marks its bank items paid, and waits until the worker has finished the rest. */
async function payRun(): Promise<string> {
  const created = await call("POST", "/api/v1/payout-runs", {});
  expect(created.status).toBe(201);
  const runId = (created.body as unknown as { payout_run: { id: string } }).payout_run.id;
  expect((await call("POST", `/api/v1/payout-runs/${runId}/approve`, {})).status).toBe(200);
  for (const item of await db().payoutItem.findMany({ where: { runId, method: "bank" } })) {
    expect((await call("POST", `/api/v1/payout-items/${item.id}/mark-paid`, { outcome: "paid", reference: `BANK-${item.id.slice(0, 8)}` })).status).toBe(200);
  }
  await waitUntil(async () => (await db().payoutRun.findUniqueOrThrow({ where: { id: runId } })).status === "completed", 30_000, `run ${runId} completed`);
  return runId;
}

async function report(query: string, token: string | null = shop.token) {
  const response = await fetch(`${app.server.url}/api/v1/payouts/tax-report.csv${query}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    disposition: response.headers.get("content-disposition"),
    text: await response.text(),
  };
}

describe("GET /api/v1/payouts/tax-report.csv", () => {
  it("totals each payee's paid items per method and currency, flags 1099-NEC payees paid by the merchant's own rails", async () => {
    await setMethod("NET01", { method: "bank", details: { account_holder: "Net Zero", iban: "DE89370400440532013000" } });
    await setMethod("MULTI", { method: "bank", details: { account_holder: "Multi Rail", account_number: "000123", routing_number: "110000000" } });
    await setMethod("PAY1", { method: "paypal", details: { email: "pay1@example.com" } });
    await setMethod("PAY2", { method: "bank", details: { account_holder: "Pay Two", iban: "GB82WEST12345698765432" } });
    await setMethod("PAY3", { method: "paypal", details: { email: "returned-pay3@example.com" } });
    const form = await call("POST", `/api/v1/distributors/${shop.ids.PAY2}/tax-form`, { status: "collected" });
    expect(form.status).toBe(200);
    expect(form.body.tax_form).toMatchObject({ distributor_id: shop.ids.PAY2, status: "collected" });
    // A later change of payout method leaves the tax form status alone.
    await setMethod("PAY2", { method: "bank", details: { account_holder: "Pay Two", iban: "GB33BUKB20201555555555" } });

    await earn("NET01", "20000.00"); // 2,000.00 by bank: exactly the threshold ("or more")
    await earn("MULTI", "10000.00"); // 1,000.00 by bank, then 999.99 by store credit: 1,999.99, one cent short
    await earn("PAY1", "30000.00"); // 3,000.00 by PayPal: PayPal's 1099-K, not ours
    await earn("PAY2", "25000.00"); // 2,500.00 by bank, W-9 on file
    await earn("PAY3", "5000.00"); // 500.00 by PayPal, returned: no payment
    await releaseAll(shop.shopId);
    await payRun();

    await setMethod("MULTI", { method: "store_credit", details: { customer_id: "gid://shopify/Customer/7002" } });
    await earn("MULTI", "9999.90");
    await releaseAll(shop.shopId);
    await payRun();
    expect(storeCredit.credits.get("gid://shopify/Customer/7002")?.map((credit) => credit.amount)).toEqual([{ amount: "999.99", currencyCode: "USD" }]);
    expect(await available(shop.shopId, shop.ids.PAY3)).toEqual({ USD: 50_000n });

    const csv = await report(`?year=${YEAR}`);
    expect(csv.status).toBe(200);
    expect(csv.type).toBe("text/csv; charset=utf-8");
    expect(csv.disposition).toBe(`attachment; filename="tax-report-${YEAR}.csv"`);
    const id = shop.ids;
    expect(csv.text.split("\r\n")).toEqual([
      "year,distributor_id,distributor_code,name,email,method,reported_by,currency,payments,total,payee_merchant_reported_usd,nec_threshold_usd,over_nec_threshold,tax_form_status,action_needed",
      `${YEAR},${id.MULTI},MULTI,Name MULTI,multi@example.com,bank,merchant_1099_nec,USD,1,1000.00,1999.99,2000.00,no,not_collected,`,
      `${YEAR},${id.MULTI},MULTI,Name MULTI,multi@example.com,store_credit,merchant_1099_nec,USD,1,999.99,1999.99,2000.00,no,not_collected,`,
      `${YEAR},${id.NET01},NET01,Name NET01,net01@example.com,bank,merchant_1099_nec,USD,1,2000.00,2000.00,2000.00,yes,not_collected,collect_w9`,
      `${YEAR},${id.PAY1},PAY1,Name PAY1,pay1@example.com,paypal,processor_1099_k,USD,1,3000.00,0.00,2000.00,no,not_collected,`,
      `${YEAR},${id.PAY2},PAY2,Name PAY2,pay2@example.com,bank,merchant_1099_nec,USD,1,2500.00,2500.00,2000.00,yes,collected,`,
      "",
    ]);
  }, 180_000);

  it("lists nothing for a year with no payments, the threshold of that year in force", async () => {
    const csv = await report("?year=2025");
    expect(csv.status).toBe(200);
    expect(csv.text.split("\r\n")).toHaveLength(2);
  });

  it("refuses a missing or malformed year, a missing token, and another shop's token sees none of this shop", async () => {
    for (const query of ["", "?year=abc", "?year=1999"]) {
      const refused = await report(query);
      expect(refused.status).toBe(400);
      expect(refused.type).toBe("application/problem+json");
    }
    expect((await report(`?year=${YEAR}`, null)).status).toBe(401);
    const { ensureShopifyShop } = await import("~/services/shops.server");
    const other = await ensureShopifyShop(db(), `other-${randomUUID().slice(0, 8)}.myshopify.com`);
    const otherToken = (await createApiToken(db(), other.id, "other", ["payouts:read"])).token;
    expect((await report(`?year=${YEAR}`, otherToken)).text.split("\r\n")).toHaveLength(2);
  });

  it("needs payouts:write to set a tax form status, and refuses an unknown status", async () => {
    const readOnly = api(app.server.url, (await createApiToken(db(), shop.shopId, "read", ["payouts:read"])).token);
    expect((await readOnly("POST", `/api/v1/distributors/${shop.ids.NET01}/tax-form`, { status: "collected" })).status).toBe(403);
    expect((await call("POST", `/api/v1/distributors/${shop.ids.NET01}/tax-form`, { status: "maybe" })).status).toBe(422);
    const history = await call("GET", `/api/v1/distributors/${shop.ids.PAY2}/payouts`);
    expect(history.body.tax_form_status).toBe("collected");
  });
});
