import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { db } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { createCommissionClass } from "~/services/commissions/setup.server";
import { randomUUID } from "node:crypto";
import { coreConfig } from "~/config.server";
import { startWorkers, type RunningWorkers } from "../../workers/start-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";
import { orderBody, orderRow, planRules, seedShop } from "../commissions/support";
import { startAppServer, type TestServer } from "../support/app-server";
import { adminContext, embeddedUrl, launchBrowser, storeOfflineSession } from "../support/admin-browser";

const SHOP = "plans-admin.myshopify.com";
const OTHER_SHOP = "someone-else.myshopify.com";

const TWO_LEVELS = {
  schemaVersion: 1,
  components: [
    {
      type: "unilevel",
      id: "uni",
      maxDepth: 2,
      compression: "dynamic",
      rates: {
        standard: [
          { kind: "percent", percent: "10" },
          { kind: "percent", percent: "4" },
        ],
      },
    },
  ],
};

describe("admin Plans page in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startAppServer();
    const shop = await ensureShopifyShop(db(), SHOP);
    await createCommissionClass(db(), shop.id, { key: "standard", name: "Standard", isDefault: true });
    await storeOfflineSession(SHOP);
    browser = await launchBrowser();
    page = await (await adminContext(browser)).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function publish(rules: string, effectiveFrom: string) {
    // The plan builder's advanced view: the JSON as typed goes to the same publish service.
    await page.getByRole("button", { name: "JSON (advanced)" }).click();
    await page.getByLabel("Rules (JSON)").fill(rules);
    await page.getByLabel("In force from (UTC)").fill(effectiveFrom);
    await page.getByRole("button", { name: "Publish version" }).click();
  }

  it("shows a shop without a plan, with its classes", async () => {
    const response = await page.goto(embeddedUrl(server.url, "/app/plans", SHOP));
    expect(response?.status()).toBe(200);
    await page.getByText("No plan yet").waitFor();
    await page.getByText("standard (default)").waitFor();
  });

  it("refuses an invalid version, naming the field, and publishes nothing", async () => {
    const invalid = structuredClone(TWO_LEVELS);
    invalid.components[0]!.rates.standard[1]!.percent = "140";
    await publish(JSON.stringify(invalid), "2026-01-01T00:00");
    const banner = page.getByText("The version was not published");
    await banner.waitFor();
    await page.getByText("components[0].rates.standard[1].percent").waitFor();
    await page.getByText("must not exceed 100").waitFor();
    const shop = await ensureShopifyShop(db(), SHOP);
    expect(await db().commissionPlanVersion.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("publishes a valid version, listed as in force and stored with an audit row", async () => {
    await publish(JSON.stringify(TWO_LEVELS), "2026-01-01T00:00");
    await page.getByText("Version 1 published").waitFor();
    await page.getByRole("cell", { name: "unilevel (uni)" }).waitFor();
    await page.getByText("In force", { exact: true }).waitFor();

    const shop = await ensureShopifyShop(db(), SHOP);
    const stored = await db().commissionPlanVersion.findMany({ where: { shopId: shop.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.effectiveFrom.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(stored[0]!.publishedBy).toBe(`admin:${SHOP}`);
    expect(stored[0]!.rules).toEqual(TWO_LEVELS);
    expect(await db().auditLog.count({ where: { shopId: shop.id, action: "commission_plan.published" } })).toBe(1);
  });

  it("has nothing to preview a draft on before any order is evaluated", async () => {
    await page.getByRole("button", { name: "Preview on past orders" }).click();
    await page.getByText("there are no evaluated orders to preview on yet").waitFor();
  });

  it("refuses a page request without a valid session token", async () => {
    const url = new URL(embeddedUrl(server.url, "/app/plans", SHOP));
    url.searchParams.set("id_token", "not-a-token");
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status).toBeGreaterThanOrEqual(300);
    expect(response.status).not.toBe(200);
  });

  it("shows another shop only its own plans", async () => {
    await storeOfflineSession(OTHER_SHOP);
    const other = await (await adminContext(browser)).newPage();
    await other.goto(embeddedUrl(server.url, "/app/plans", OTHER_SHOP));
    await other.getByText("No plan yet").waitFor();
    await expect(other.getByRole("cell", { name: "unilevel (uni)" }).count()).resolves.toBe(0);
  });
});

describe("what-if preview on the Plans page", () => {
  let server: TestServer;
  let workers: RunningWorkers;
  let browser: Browser;

  beforeAll(async () => {
    server = await startAppServer();
    workers = await startWorkers(coreConfig());
    const shop = await seedShop();
    const delivered = await fetch(`${server.url}/ingest/shopify`, shopifyDelivery(orderBody("8880001"), { topic: "orders/paid", webhookId: randomUUID() }));
    expect(delivered.status).toBe(200);
    const order = await waitUntil(() => orderRow(shop.shopId, "8880001"), 20_000, "the order");
    await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, "its commission");
    await storeOfflineSession(TEST_SHOP);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await workers?.close(true);
    await server?.close();
  });

  it("replays the draft on recent orders beside what they were paid, and writes nothing", async () => {
    const page = await (await adminContext(browser)).newPage();
    await page.goto(embeddedUrl(server.url, "/app/plans", TEST_SHOP));
    // The seeded plan paid 71.64 (10 / 5 / 3 % of 398.00 with one upline compressed); the draft doubles level 1.
    await page.getByRole("button", { name: "JSON (advanced)" }).click();
    await page.getByLabel("Rules (JSON)").fill(JSON.stringify(planRules(["20", "5", "3"], ["4", "2", "1"])));
    const before = await Promise.all([db().ledgerTransaction.count(), db().commission.count(), db().commissionPlanVersion.count()]);
    await page.getByRole("button", { name: "Preview on past orders" }).click();
    await page.getByText("On 1 order, this draft would pay 111.44 USD; the versions in force paid 71.64 USD. Nothing was written.").waitFor();
    expect(await Promise.all([db().ledgerTransaction.count(), db().commission.count(), db().commissionPlanVersion.count()])).toEqual(before);
  });
});
