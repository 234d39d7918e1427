/**
 * Issue 13, onboarding: the dashboard's first-run checklist reflects the shop's real state. A new shop sees
 * every step open with a link to do it (the theme step deep-links into the theme editor's App embeds); as the
 * merchant publishes a plan, creates a default class, enrolls an affiliate, a referred order arrives through
 * the ingest route and the payout rules are saved, the steps close one by one, and the card goes away at 5 of 5.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { db } from "~/db.server";
import { config } from "~/config.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { createCommissionClass, publishPlanVersion } from "~/services/commissions/setup.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { payoutSettingsBody, setPayoutSettings } from "~/services/payouts/methods.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { adminContext, embeddedUrl, launchBrowser, storeOfflineSession } from "../support/admin-browser";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { orderBody } from "../commissions/support";

const SHOP = "onboarding-admin.myshopify.com";
const SCREENSHOTS = path.resolve(".cache", "screenshots");
const PLAN = {
  schemaVersion: 1,
  components: [{ type: "unilevel", id: "uni", maxDepth: 1, compression: "none", rates: { standard: [{ kind: "percent", percent: "10" }] } }],
};

describe("admin dashboard: onboarding checklist", () => {
  const app = runAppAndWorkers();
  let browser: Browser;
  let page: Page;
  let shopId: string;

  beforeAll(async () => {
    shopId = (await ensureShopifyShop(db(), SHOP)).id;
    await storeOfflineSession(SHOP);
    browser = await launchBrowser();
    page = await (await adminContext(browser)).newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  // The innermost element holding the card's title and its last step: the card's body.
  const card = () => page.locator("div", { has: page.getByRole("heading", { name: "Get Upline running" }), hasText: "Set up payouts" }).last();
  const step = (title: string) => page.locator("div", { has: page.getByRole("heading", { name: title }) }).last();
  const open = () => page.goto(embeddedUrl(app.server.url, "/app", SHOP));

  it("a new shop has all five steps to do, each with its link", async () => {
    await open();
    await expect.poll(() => card().innerText(), { timeout: 20_000 }).toContain("0 of 5 done");
    expect(await step("Publish a compensation plan").innerText()).toContain("No plan published: no order earns anything yet");
    expect(await step("Set up commission classes").innerText()).toContain("No commission class: orders are not evaluated yet");
    const themeLink = step("Turn on the referral embed in your theme").getByRole("link", { name: "Open the theme editor" });
    const href = new URL((await themeLink.getAttribute("href"))!);
    expect(href.origin + href.pathname).toBe(`https://${SHOP}/admin/themes/current/editor`);
    expect(href.searchParams.get("context")).toBe("apps");
    expect(href.searchParams.get("activateAppId")).toBe(`${config().SHOPIFY_API_KEY}/referral-embed`);
    expect(await step("Enroll your first affiliate").getByRole("link", { name: "Open distributors" }).getAttribute("href")).toMatch(
      /^\/app\/distributors\?.*shop=/,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-onboarding-new.png"), fullPage: true });
  });

  it("closes each step from what the shop really holds, and hides the card once all are done", async () => {
    await createCommissionClass(db(), shopId, { key: "standard", name: "Standard", isDefault: true });
    await publishPlanVersion(db(), shopId, PLAN, "2021-01-01T00:00:00Z", "test");
    await open();
    await expect.poll(() => card().innerText(), { timeout: 20_000 }).toContain("2 of 5 done");
    expect(await step("Publish a compensation plan").innerText()).toContain("1 version published");
    expect(await step("Set up commission classes").innerText()).toContain("1 class, 0 SKU mappings");
    expect(await step("Publish a compensation plan").getByRole("link").count()).toBe(0);

    await enrollDistributor(db(), shopId, { code: "JANE01", name: "Jane", sponsorFallback: "company", actor: "test" });
    const delivered = await fetch(
      `${app.server.url}/ingest/shopify`,
      shopifyDelivery(orderBody("7158100001"), { topic: "orders/paid", shop: SHOP, webhookId: randomUUID() }),
    );
    expect(delivered.status).toBe(200);
    const order = await waitUntil(() => db().order.findFirst({ where: { shopId, platformOrderId: "7158100001" } }), 20_000, "the referred order");
    expect(order.referralCode).toBe("JANE01");
    await open();
    await expect.poll(() => card().innerText(), { timeout: 20_000 }).toContain("4 of 5 done");
    expect(await step("Turn on the referral embed in your theme").innerText()).toContain("Referral codes reach orders");
    expect(await step("Set up payouts").innerText()).toContain("No payout rules or methods yet");

    await setPayoutSettings(db(), shopId, payoutSettingsBody.parse({ minimum_minor: "2500", schedule: "monthly" }), "test");
    await open();
    await page.getByText("Inbox backlog").waitFor();
    expect(await page.getByRole("heading", { name: "Get Upline running" }).count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-onboarding-done.png"), fullPage: true });
  });
});
