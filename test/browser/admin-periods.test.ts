/**
 * The admin's Periods page in real Chromium: the periods of the plan's monthly schedule, closing oldest first
 * (a later one is refused with the reason), closing, and re-opening only with a reason, audited.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { db } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { createCommissionClass, publishPlanVersion } from "~/services/commissions/setup.server";
import { startAppServer, type TestServer } from "../support/app-server";
import { adminContext, embeddedUrl, launchBrowser, storeOfflineSession } from "../support/admin-browser";

const SHOP = "periods-admin.myshopify.com";

const MONTHLY_PLAN = {
  schemaVersion: 1,
  period: { schedule: "monthly" },
  components: [
    { type: "unilevel", id: "uni", maxDepth: 1, compression: "dynamic", rates: { standard: [{ kind: "percent", percent: "10" }] } },
    {
      type: "rank",
      id: "ranks",
      volume: "pv",
      activeLegMinPersonalVolume: "0",
      ranks: [{ id: "bronze", personalVolume: "100", groupVolume: "0", activeLegs: 0 }],
    },
  ],
};

describe("admin Periods page in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let shopId: string;

  beforeAll(async () => {
    server = await startAppServer();
    shopId = (await ensureShopifyShop(db(), SHOP)).id;
    await createCommissionClass(db(), shopId, { key: "standard", name: "Standard", isDefault: true });
    await publishPlanVersion(db(), shopId, MONTHLY_PLAN, "2026-01-01T00:00:00Z", "test");
    await storeOfflineSession(SHOP);
    browser = await launchBrowser();
    page = await (await adminContext(browser)).newPage();
    await page.goto(embeddedUrl(server.url, "/app/periods", SHOP));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const period = (key: string) => db().commissionPeriod.findFirstOrThrow({ where: { shopId, key } });

  it("lists the months of the plan's schedule, newest first, the running one without a close button", async () => {
    await page.getByText("2026-01", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Close 2026-02" }).waitFor();
    expect(await db().commissionPeriod.count({ where: { shopId } })).toBeGreaterThanOrEqual(11);
    const now = new Date();
    const running = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
    await expect(page.getByRole("button", { name: `Close ${running}` }).count()).resolves.toBe(0);
  });

  it("refuses to close a month while an earlier one is open, saying which", async () => {
    await page.getByRole("button", { name: "Close 2026-02" }).click();
    await page.getByText("period 2026-01 must be closed first").waitFor();
    expect((await period("2026-02")).status).toBe("open");
  });

  it("closes the oldest month", async () => {
    await page.getByRole("button", { name: "Close 2026-01" }).click();
    await page.getByText(/^Closed: 0 lines, 0\.00 USD posted\.$/).waitFor();
    expect(await period("2026-01")).toMatchObject({ status: "closed", revision: 1, closedBy: `admin:${SHOP}` });
  });

  it("re-opens a closed month only with a reason, recorded in the audit log", async () => {
    const reopen = page.getByRole("button", { name: "Re-open" }).first();
    await reopen.click();
    await page.getByText("a re-open needs a reason").waitFor();
    expect((await period("2026-01")).status).toBe("closed");

    await page.getByPlaceholder("Reason (required)").first().fill("late refund from the warehouse");
    await page.getByRole("button", { name: "Re-open" }).first().click();
    await page.getByText("Period 2026-01 re-opened: its next close posts only corrections.").waitFor();
    const reopened = await period("2026-01");
    expect(reopened).toMatchObject({ status: "reopened", reopenReason: "late refund from the warehouse", reopenedBy: `admin:${SHOP}` });
    expect(await db().auditLog.count({ where: { shopId, action: "period.reopened", entityId: reopened.id } })).toBe(1);
  });
});
