/**
 * The admin's Payouts page in real Chromium, with the real worker paying through a local fake PayPal (answers
 * as PayPal's Payouts API does, item statuses moving on asynchronously): preview with the held-back reason,
 * create a draft, approve, watch the progress bar until every PayPal item is final, download the bank file,
 * mark the bank item paid, and retry the item PayPal failed once its e-mail is corrected. Page and database
 * are checked at each step, amounts to the cent.
 */
import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { db } from "~/db.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { adminContext, embeddedUrl, launchBrowser, storeOfflineSession } from "../support/admin-browser";
import { TEST_SHOP } from "../support/deliveries";
import { startFakePayPal, type FakePayPal } from "../support/fakes/paypal";
import { accountSums, api, available, deliverOrder, releaseAll, seedPayoutShop, type Code, type PayoutShop } from "../payouts/support";

// The worker reads these when it starts (before this file's beforeAll): poll PayPal quickly.
process.env.PAYOUT_POLL_MS = "300";

const SCREENSHOTS = path.resolve(".cache", "screenshots");

const app = runAppAndWorkers();
let shop: PayoutShop;
let paypal: FakePayPal;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  paypal = await startFakePayPal();
  Object.assign(process.env, { PAYPAL_BASE_URL: paypal.url, PAYPAL_CLIENT_ID: "client", PAYPAL_CLIENT_SECRET: "secret" });
  shop = await seedPayoutShop();
  const call = api(app.server.url, shop.token);
  const methods: [Code, unknown][] = [
    ["PAY1", { method: "paypal", details: { email: "pay1@example.com" } }],
    // The fake PayPal fails a receiver whose address starts with "fail".
    ["PAY2", { method: "paypal", details: { email: "fail-pay2@example.com" } }],
    ["NET01", { method: "bank", details: { account_holder: "Net Zero", iban: "DE89370400440532013000" } }],
  ];
  for (const [code, body] of methods) expect((await call("POST", `/api/v1/distributors/${shop.ids[code]}/payout-method`, body)).status).toBe(200);
  // 50.00 each (a BIG order: 2 units × 25.00 at level 1); STR1 has no payout method, so it is held back.
  let order = 9100;
  for (const code of ["PAY1", "PAY2", "NET01", "STR1"] as const) await deliverOrder(app.server.url, shop.shopId, String(order++), code, "BIG");
  await releaseAll(shop.shopId);

  await storeOfflineSession(TEST_SHOP);
  browser = await launchBrowser();
  page = await (await adminContext(browser)).newPage();
  await page.goto(embeddedUrl(app.server.url, "/app/payouts", TEST_SHOP));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await paypal?.close();
});

const runs = () => db().payoutRun.findMany({ where: { shopId: shop.shopId }, orderBy: { createdAt: "asc" }, include: { items: true } });
/** An item's row; Polaris badges carry a visually hidden tone word ("Success paid"), hence the optional word. */
const itemRow = (code: Code, method: string, status: string, rest = "") =>
  page.getByRole("row", { name: new RegExp(`^${code} ${method} 50\\.00 USD (?:\\w+ )?${status}${rest}`) });
const itemOf = (run: Awaited<ReturnType<typeof runs>>[number], code: Code) => run.items.find((item) => item.distributorId === shop.ids[code])!;

describe("admin Payouts page in Chromium", () => {
  it("previews who would be paid and who is held back, and why; no run yet", async () => {
    await page.getByText("3 to pay: 150.00 USD").waitFor();
    await page.getByRole("row", { name: /STR1 50\.00 USD No payout method/ }).waitFor();
    await page.getByText("No payout runs yet").waitFor();
    expect(await db().payoutRun.count({ where: { shopId: shop.shopId } })).toBe(0);
  });

  it("creates a draft run with the preview's items and held-back list", async () => {
    await page.getByRole("button", { name: "Create draft run" }).click();
    await page.getByText("Draft run created: 3 items to approve.").waitFor();
    const [run] = await runs();
    expect(run).toMatchObject({ status: "draft", itemCount: 3, totals: { USD: { items: 3, amountMinor: "15000" } } });
    expect(run!.heldBack).toEqual([{ distributorId: shop.ids.STR1, currency: "USD", balanceMinor: "5000", reason: "no_payout_method" }]);
    for (const code of ["PAY1", "PAY2", "NET01"] as const) await itemRow(code, "\\w+", "pending").waitFor();
  });

  it("approves, then shows the worker's progress until every PayPal item is final", async () => {
    await page.getByRole("button", { name: "Approve and pay" }).click();
    await page.getByText("Run approved: paying 3 items.").waitFor();
    await page.getByRole("progressbar").waitFor();
    await page.getByText("2 of 3 items finished: 1 paid, 1 failed, 1 waiting for the bank's confirmation").waitFor({ timeout: 30_000 });
    await itemRow("PAY1", "paypal", "paid").waitFor();
    await itemRow("PAY2", "paypal", "failed", " Receiver is unregistered").waitFor();
    const [run] = await runs();
    expect(run!.status).toBe("executing");
    expect([itemOf(run!, "PAY1").status, itemOf(run!, "PAY2").status, itemOf(run!, "NET01").status]).toEqual(["paid", "failed", "submitted"]);
    expect(paypal.created.get(itemOf(run!, "PAY1").id)).toBe(1);
    // PAY2's failure was reversed to the available wallet; the bank item waits in clearing.
    expect(await available(shop.shopId, shop.ids.PAY2)).toEqual({ USD: 5_000n });
    expect(await accountSums(shop.shopId, "payouts_clearing")).toEqual({ USD: -5_000n });
  });

  it("downloads the run's bank file: the bank item only, to the cent", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download bank file (CSV)" }).click()]);
    const csv = await readFile(await download.path(), "utf8");
    const [run] = await runs();
    expect(download.suggestedFilename()).toBe(`payout-run-${run!.id}.csv`);
    expect(csv.split("\r\n")).toEqual([
      "reference,name,recipient,account_holder,iban,account_number,routing_number,amount,currency,distributor_code",
      `${itemOf(run!, "NET01").id},Name NET01,net01@example.com,Net Zero,DE89370400440532013000,,,50.00,USD,NET01`,
      "",
    ]);
  });

  it("marks the bank item paid by hand: the run completes", async () => {
    await page.getByRole("button", { name: "Mark NET01 paid" }).click();
    await page.getByText("Item marked paid.").waitFor();
    await page.getByText("3 of 3 items finished: 2 paid, 1 failed").waitFor();
    const [run] = await runs();
    expect(run!.status).toBe("completed");
    expect(itemOf(run!, "NET01").status).toBe("paid");
    expect(await accountSums(shop.shopId, "payouts_clearing")).toEqual({ USD: 0n });
  });

  it("retries the failed item once its PayPal e-mail is corrected: a one-item run, paid once", async () => {
    const call = api(app.server.url, shop.token);
    expect(
      (await call("POST", `/api/v1/distributors/${shop.ids.PAY2}/payout-method`, { method: "paypal", details: { email: "pay2@example.com" } })).status,
    ).toBe(200);
    await page.getByRole("button", { name: "Retry PAY2" }).click();
    await page.getByText("Retry approved: a new run pays this item.").waitFor();
    await page.getByText("1 of 1 items finished: 1 paid, 0 failed").waitFor({ timeout: 30_000 });
    await itemRow("PAY2", "paypal", "paid").waitFor();

    const [first, retry] = await runs();
    expect(retry).toMatchObject({ status: "completed", itemCount: 1, scheduleKey: `retry:${itemOf(first!, "PAY2").id}`, createdBy: `admin:${TEST_SHOP}` });
    const item = itemOf(retry!, "PAY2");
    expect(item).toMatchObject({ status: "paid", amountMinor: 5_000n, destination: { email: "pay2@example.com" } });
    expect(paypal.created.get(item.id)).toBe(1);
    expect(await available(shop.shopId, shop.ids.PAY2)).toEqual({ USD: 0n });
    expect(await accountSums(shop.shopId, "payouts_cash")).toEqual({ USD: -15_000n });

    // The first run now links the failed item to its retry instead of offering it again.
    await page
      .getByRole("link", { name: /^20\d\d-/ })
      .last()
      .click();
    await itemRow("PAY2", "paypal", "failed").getByRole("link", { name: "Retried" }).waitFor();
    expect(await page.getByRole("button", { name: "Retry PAY2" }).count()).toBe(0);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-payouts.png"), fullPage: true });
  });
});
