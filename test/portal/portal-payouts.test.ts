/**
 * The affiliate portal's payouts (storefront, through the app proxy): the next expected payout against the
 * minimum and the schedule's next date, the payout method form (PayPal e-mail or store credit on the signed-in
 * customer's own account; validated; a merchant's hold kept), and the payout history — each affiliate sees
 * only their own payouts, never another's. Balances come from orders through the ingest route; the run is paid
 * by the real worker (PayPal against a local fake, the bank item marked paid).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { nextScheduledPayout } from "~/domain/payouts/next-payout";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { appProxyUrl } from "../support/app-proxy";
import { TEST_SHOP, waitUntil } from "../support/deliveries";
import { startFakePayPal, type FakePayPal } from "../support/fakes/paypal";
import { api, deliverOrder, releaseAll, seedPayoutShop, type PayoutShop } from "../payouts/support";

process.env.PAYOUT_POLL_MS = "300";

const app = runAppAndWorkers();
const ALICE = "7101";
const BOB = "7102";
let shop: PayoutShop;
let paypal: FakePayPal;
let call: ReturnType<typeof api>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  paypal = await startFakePayPal();
  Object.assign(process.env, { PAYPAL_BASE_URL: paypal.url, PAYPAL_CLIENT_ID: "client", PAYPAL_CLIENT_SECRET: "secret" });
  shop = await seedPayoutShop();
  call = api(app.server.url, shop.token);
  for (const [code, customer] of [
    ["ALICE", ALICE],
    ["BOB", BOB],
  ] as const) {
    ids[code] = (
      await enrollDistributor(db(), shop.shopId, {
        code,
        sponsorCode: "ROOT",
        name: code,
        platform: "shopify",
        platformCustomerId: customer,
        enrolledAt: "2021-04-01T00:00:00Z",
      })
    ).id;
  }
  expect((await call("POST", "/api/v1/payout-settings", { minimum_minor: "1000", schedule: "weekly" })).status).toBe(200);
  await deliverOrder(app.server.url, shop.shopId, "9301", "ALICE", "BIG"); // 50.00
  await deliverOrder(app.server.url, shop.shopId, "9302", "BOB", "SMALL"); // 30.00
  await releaseAll(shop.shopId);
}, 180_000);

afterAll(async () => paypal?.close());

async function portal(customerId: string) {
  const response = await fetch(appProxyUrl(app.server.url, "/proxy", { shop: TEST_SHOP, customerId }));
  expect(response.status).toBe(200);
  return response.text();
}

async function post(customerId: string, fields: Record<string, string>) {
  const response = await fetch(appProxyUrl(app.server.url, "/proxy", { shop: TEST_SHOP, customerId }), { method: "POST", body: new URLSearchParams(fields) });
  expect(response.status).toBe(200);
  return response.text();
}

const method = (code: string) => db().payoutMethod.findUnique({ where: { shopId_distributorId: { shopId: shop.shopId, distributorId: ids[code]! } } });

describe("affiliate portal: payouts", () => {
  it("shows the next expected payout: available against the minimum, why it waits, and the schedule's next date", async () => {
    const page = await portal(ALICE);
    expect(page).toMatch(
      /<table data-upline="next-payout">.*<td>USD<\/td><td class="amount">50\.00<\/td><td class="amount">10\.00<\/td><td>Choose how you want to be paid below\.<\/td>/,
    );
    expect(page).toContain(`The store&#x27;s next payout run is on ${nextScheduledPayout("weekly", new Date())!.toISOString().slice(0, 10)}.`);
    expect(page).toContain("No payout method yet.");
    expect(page).toContain("No payouts yet.");
  });

  it("refuses an invalid PayPal e-mail, naming the field and not echoing the value; stores nothing", async () => {
    const page = await post(ALICE, { intent: "payout_method", method: "paypal", paypal_email: "not-an-address" });
    expect(page).toContain('data-upline="error">Enter the e-mail address of your PayPal account.</p>');
    expect(page).not.toContain("not-an-address");
    expect(await method("ALICE")).toBeNull();
  });

  it("saves a PayPal e-mail from the portal, shows it masked, and audits the method without the address", async () => {
    const page = await post(ALICE, { intent: "payout_method", method: "paypal", paypal_email: "alice.pays@example.com" });
    expect(page).toContain("Saved: you will be paid by PayPal.");
    expect(page).toContain('<p data-upline="payout-method">PayPal (a•••@example.com)</p>');
    expect(page).not.toContain("alice.pays@example.com");
    expect(await method("ALICE")).toMatchObject({ method: "paypal", details: { email: "alice.pays@example.com" }, onHold: false });
    const audits = await db().auditLog.findMany({ where: { shopId: shop.shopId, action: "payout_method.set", entityId: ids.ALICE } });
    expect(audits.map((a) => [a.actor, a.after])).toEqual([[`portal:customer:${ALICE}`, { method: "paypal", onHold: false }]]);
    expect(await portal(ALICE)).toMatch(/<td>USD<\/td><td class="amount">50\.00<\/td><td class="amount">10\.00<\/td><td>Included<\/td>/);
  });

  it("shows each affiliate their own payout history, never another's", async () => {
    expect(
      (
        await call("POST", `/api/v1/distributors/${ids.BOB}/payout-method`, {
          method: "bank",
          details: { account_holder: "Bob", iban: "DE89370400440532013000" },
        })
      ).status,
    ).toBe(200);
    const created = await call("POST", "/api/v1/payout-runs", {});
    const runId = (created.body as unknown as { payout_run: { id: string } }).payout_run.id;
    expect((await call("POST", `/api/v1/payout-runs/${runId}/approve`, {})).status).toBe(200);
    const bobItem = await db().payoutItem.findFirstOrThrow({ where: { runId, distributorId: ids.BOB } });
    expect((await call("POST", `/api/v1/payout-items/${bobItem.id}/mark-paid`, { outcome: "paid" })).status).toBe(200);
    await waitUntil(async () => (await db().payoutRun.findUniqueOrThrow({ where: { id: runId } })).status === "completed", 30_000, "the run completed");

    const today = new Date().toISOString().slice(0, 10);
    const alice = await portal(ALICE);
    expect(alice).toMatch(
      new RegExp(`<table data-upline="payouts">.*<tbody><tr><td>${today}</td><td>PayPal</td><td>Paid</td><td class="amount">50\\.00 USD</td></tr></tbody>`),
    );
    expect(alice).not.toContain("30.00 USD");
    expect(alice).not.toContain("Bank transfer");
    const bob = await portal(BOB);
    expect(bob).toMatch(
      new RegExp(
        `<table data-upline="payouts">.*<tbody><tr><td>${today}</td><td>Bank transfer</td><td>Paid</td><td class="amount">30\\.00 USD</td></tr></tbody>`,
      ),
    );
    expect(bob).not.toContain("50.00 USD");
    expect(bob).not.toContain("PayPal</td>");
    // Both paid in full: nothing left to pay.
    expect(alice).toContain("Nothing available to pay yet.");
  });

  it("switches to store credit on the customer's own account and keeps a merchant's hold", async () => {
    expect(
      (
        await call("POST", `/api/v1/distributors/${ids.BOB}/payout-method`, {
          method: "bank",
          details: { account_holder: "Bob", iban: "DE89370400440532013000" },
          on_hold: true,
          hold_reason: "identity check",
        })
      ).status,
    ).toBe(200);
    const page = await post(BOB, { intent: "payout_method", method: "store_credit", customer_id: "gid://shopify/Customer/1" });
    expect(page).toContain("Saved: you will be paid in store credit.");
    expect(page).toContain('<p data-upline="payout-method">Store credit — on hold</p>');
    expect(await method("BOB")).toMatchObject({
      method: "store_credit",
      details: { customerId: `gid://shopify/Customer/${BOB}` },
      onHold: true,
      holdReason: "identity check",
    });
  });

  it("lets only a signed-in affiliate set a method: a customer who is no affiliate changes nothing", async () => {
    const before = await db().payoutMethod.count({ where: { shopId: shop.shopId } });
    const page = await post("9999", { intent: "payout_method", method: "paypal", paypal_email: "stranger@example.com" });
    expect(page).toContain("not an affiliate of this store yet");
    expect(await db().payoutMethod.count({ where: { shopId: shop.shopId } })).toBe(before);
  });
});
