/**
 * Issue 13, the admin's Settings page in real Chromium: a bad hold window is an error next to the field (the
 * typed values kept, nothing written); changing the hold window writes one dated change in force from now and
 * one audit row naming the admin; a change dated later is scheduled, shown as such, and leaves today's settings
 * alone. Page and database are checked at each step.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { db } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { commissionChangesOf, parseCommissionSettings } from "~/services/commissions/settings.server";
import { startAppServer, type TestServer } from "../support/app-server";
import { adminContext, embeddedUrl, launchBrowser, storeOfflineSession } from "../support/admin-browser";

const SHOP = "settings-admin.myshopify.com";
const SCREENSHOTS = path.resolve(".cache", "screenshots");

let server: TestServer;
let browser: Browser;
let page: Page;
let shopId: string;

beforeAll(async () => {
  server = await startAppServer();
  shopId = (await ensureShopifyShop(db(), SHOP)).id;
  await storeOfflineSession(SHOP);
  browser = await launchBrowser();
  page = await (await adminContext(browser)).newPage();
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.goto(embeddedUrl(server.url, "/app/settings", SHOP));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const settingsAudits = () =>
  db().auditLog.findMany({
    where: { shopId, action: { in: ["referral_settings.updated", "commission_settings.scheduled", "payout_settings.set"] } },
    orderBy: { createdAt: "asc" },
    select: { action: true, actor: true, after: true },
  });
const storedSettings = async () => (await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } })).settings;

describe("admin Settings page in Chromium", () => {
  it("shows the defaults and an empty history", async () => {
    await page.getByText("No setting has been changed yet; the defaults apply.").waitFor();
    expect(await page.getByLabel("Hold window (days)").inputValue()).toBe("30");
    expect(await page.getByLabel("Link parameter").inputValue()).toBe("ref");
  });

  it("refuses a negative hold window next to the field, keeping what was typed", async () => {
    await page.getByLabel("Hold window (days)").fill("-3");
    await page.getByLabel("Cookie days").fill("45");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("The settings were not saved.").waitFor();
    await page.getByText("must be 0–3650 days").waitFor();
    expect(await page.getByLabel("Hold window (days)").inputValue()).toBe("-3");
    expect(await page.getByLabel("Cookie days").inputValue()).toBe("45");
    expect(await settingsAudits()).toEqual([]);
  });

  it("changes the hold window from now on: one dated change, one audit row", async () => {
    await page.getByLabel("Hold window (days)").fill("14");
    await page.getByLabel("Cookie days").fill("30");
    const before = Date.now();
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved. Commission changes apply to orders placed from now on.").waitFor();
    await page.getByRole("row", { name: new RegExp(`Commission base / hold window admin:${SHOP}`) }).waitFor();
    expect(await page.getByLabel("Hold window (days)").inputValue()).toBe("14");

    const settings = await storedSettings();
    const [change] = commissionChangesOf(settings);
    expect(commissionChangesOf(settings)).toHaveLength(1);
    expect(change).toMatchObject({ refundWindowDays: 14, changedBy: `admin:${SHOP}` });
    expect(Date.parse(change!.effectiveFrom)).toBeGreaterThanOrEqual(before - 1_000);
    expect(parseCommissionSettings(settings).refundWindowDays).toBe(14);
    // An order placed before the change keeps the old window.
    expect(parseCommissionSettings(settings, new Date(before - 60_000)).refundWindowDays).toBe(30);
    expect(await settingsAudits()).toEqual([
      { action: "commission_settings.scheduled", actor: `admin:${SHOP}`, after: expect.objectContaining({ refundWindowDays: 14 }) },
    ]);
  });

  it("schedules a later change without touching today's settings", async () => {
    const later = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel("Hold window (days)").fill("7");
    await page.getByLabel("Effective from").fill(later);
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText(`Settings saved. Commission changes apply to orders placed from ${later}.`).waitFor();
    await page.getByText(`Scheduled: from ${later}: hold 7 days`).waitFor();
    // The form shows what is in force now.
    expect(await page.getByLabel("Hold window (days)").inputValue()).toBe("14");

    const settings = await storedSettings();
    expect(commissionChangesOf(settings).map((c) => [c.refundWindowDays, c.effectiveFrom.slice(0, 10)])).toEqual([
      [14, new Date().toISOString().slice(0, 10)],
      [7, later],
    ]);
    expect(parseCommissionSettings(settings).refundWindowDays).toBe(14);
    expect(parseCommissionSettings(settings, new Date(`${later}T00:00:01Z`)).refundWindowDays).toBe(7);
    expect((await settingsAudits()).map((a) => a.action)).toEqual(["commission_settings.scheduled", "commission_settings.scheduled"]);
  });

  it("changes referral and payout settings at once, each audited", async () => {
    await page.getByLabel("Link parameter").fill("via");
    await page.getByLabel("When a shopper followed several links").selectOption("first_click");
    await page.getByLabel("Minimum payout (USD)").fill("25.50");
    await page.getByLabel("Schedule").selectOption("monthly");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved.", { exact: true }).waitFor();
    expect((await storedSettings()) as Record<string, unknown>).toMatchObject({ referral: { param: "via", cookieDays: 30, attribution: "first_click" } });
    expect(await db().payoutSettings.findUnique({ where: { shopId }, select: { minimumMinor: true, schedule: true } })).toEqual({
      minimumMinor: 2_550n,
      schedule: "monthly",
    });
    expect((await settingsAudits()).map((a) => a.action).slice(2)).toEqual(["referral_settings.updated", "payout_settings.set"]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-settings.png"), fullPage: true });
  });
});
