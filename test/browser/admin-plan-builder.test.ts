import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { coreConfig } from "~/config.server";
import { startWorkers, type RunningWorkers } from "../../workers/start-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";
import { orderBody, orderRow, seedShop, type SeededShop } from "../commissions/support";
import { startAppServer, type TestServer } from "../support/app-server";
import { adminContext, embeddedUrl, launchBrowser, storeOfflineSession } from "../support/admin-browser";

const SCREENSHOTS = path.resolve(".cache", "screenshots");

/** What the form below builds: 3 levels, "standard" 12 / 6 / 3 %, "general" 5 / 3 / 1 %. */
const BUILT = {
  schemaVersion: 1,
  components: [
    {
      type: "unilevel",
      id: "unilevel",
      maxDepth: 3,
      compression: "dynamic",
      rates: {
        standard: ["12", "6", "3"].map((percent) => ({ kind: "percent", percent })),
        general: ["5", "3", "1"].map((percent) => ({ kind: "percent", percent })),
      },
    },
  ],
};

async function ingestOrder(server: TestServer, shop: SeededShop, platformOrderId: string, sku?: string) {
  const body = orderBody(platformOrderId, sku ? { sku } : {});
  const delivered = await fetch(`${server.url}/ingest/shopify`, shopifyDelivery(body, { topic: "orders/paid", webhookId: randomUUID() }));
  expect(delivered.status).toBe(200);
  const order = await waitUntil(() => orderRow(shop.shopId, platformOrderId), 20_000, `order ${platformOrderId}`);
  await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, `its commission`);
}

/** The message Polaris shows next to a field: the element its input's aria-describedby names as the error. */
async function fieldError(page: Page, field: Locator): Promise<string> {
  const id = await field.getAttribute("id");
  return (await page.locator(`[id="${id}Error"]`).innerText()).trim();
}

/** The cells of the table row whose first cell reads `first` (Polaris renders that cell as a row header). */
async function rowCells(page: Page, first: string): Promise<string[]> {
  for (const row of await page.locator("tbody tr").all()) {
    const cells = (await row.locator("th, td").allInnerTexts()).map((cell) => cell.trim());
    if (cells[0] === first) return cells;
  }
  return [];
}

describe("plan builder in Chromium: a plan built through the forms only, previewed and published", () => {
  let server: TestServer;
  let workers: RunningWorkers;
  let browser: Browser;
  let page: Page;
  let shop: SeededShop;

  beforeAll(async () => {
    server = await startAppServer();
    workers = await startWorkers(coreConfig());
    // ROOT ← SAM ← MIKE (inactive) ← JANE01; v1 pays standard 10/5/3 %, general 4/2/1 % (test/commissions/support.ts).
    shop = await seedShop();
    // Two past orders of 398.00 through the real ingest path: one of the "standard" SKU, one unmapped (the default "general").
    await ingestOrder(server, shop, "8880101");
    await ingestOrder(server, shop, "8880102", "UNMAPPED-1");
    await storeOfflineSession(TEST_SHOP);
    browser = await launchBrowser();
    const context = await adminContext(browser);
    page = await context.newPage();
    await page.setViewportSize({ width: 1024, height: 900 });
  });

  afterAll(async () => {
    await browser?.close();
    await workers?.close(true);
    await server?.close();
  });

  it("builds a 3-level unilevel with two classes in the form, from an empty draft", async () => {
    await page.goto(embeddedUrl(server.url, "/app/plans", TEST_SHOP));
    // The draft starts from the latest version: clear it, so everything below comes from the forms.
    await page.getByRole("button", { name: "Remove component" }).click();
    await page.getByText("No component yet").waitFor();
    await page.getByLabel("Component type").selectOption("unilevel");
    await page.getByRole("button", { name: "Add component" }).click();

    await page.getByLabel("Levels paid").fill("3");
    await page.getByLabel("Class 1", { exact: true }).fill("standard");
    for (const [level, percent] of ["12", "6", "3"].entries()) await page.getByLabel(`standard, level ${level + 1} (%)`, { exact: true }).fill(percent);
    await page.getByRole("button", { name: "Add class" }).click();
    await page.getByLabel("Class 2", { exact: true }).fill("general");
    await page.getByRole("button", { name: "Add level to general" }).click();
    await page.getByRole("button", { name: "Add level to general" }).click();
    for (const [level, percent] of ["5", "3", "1"].entries()) await page.getByLabel(`general, level ${level + 1} (%)`, { exact: true }).fill(percent);
  });

  it("names a malformed percent next to its field, keeps what was typed, and publishes nothing", async () => {
    const field = page.getByLabel("general, level 2 (%)", { exact: true });
    await field.fill("6%");
    await page.getByRole("button", { name: "Publish version" }).click();
    await page.getByText("The version was not published").waitFor();
    expect(await fieldError(page, field)).toBe('must be a decimal string such as "12.5" (at most 6 decimals)');
    expect(await field.inputValue()).toBe("6%");
    // Everything else typed is still there too.
    expect(await page.getByLabel("standard, level 1 (%)", { exact: true }).inputValue()).toBe("12");
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-plan-builder-field-error.png"), fullPage: true });
    expect(await db().commissionPlanVersion.count({ where: { shopId: shop.shopId } })).toBe(1);
    await field.fill("3");
  });

  it("round-trips through the JSON view", async () => {
    await page.getByRole("button", { name: "JSON (advanced)" }).click();
    expect(JSON.parse(await page.getByLabel("Rules (JSON)").inputValue())).toEqual(BUILT);
    await page.getByRole("button", { name: "Form", exact: true }).click();
    expect(await page.getByLabel("general, level 3 (%)", { exact: true }).inputValue()).toBe("1");
    expect(await page.getByLabel("Class 2", { exact: true }).inputValue()).toBe("general");
  });

  it("previews the draft on the past orders, per distributor and rule, beside what v1 paid, writing nothing", async () => {
    const before = await Promise.all([db().ledgerTransaction.count(), db().commission.count(), db().commissionPlanVersion.count()]);
    await page.getByLabel(/\(8880101\)/).check();
    await page.getByLabel(/\(8880102\)/).check();
    await page.getByRole("button", { name: "Preview on past orders" }).click();
    await page.getByText("On 2 orders, this draft would pay 119.40 USD; the versions in force paid 99.50 USD. Nothing was written.").waitFor();
    // JANE01 level 1: 12 % of 398.00 + 5 % of 398.00 (v1: 10 % + 4 %); MIKE is inactive and compressed away;
    // SAM level 2: 6 % + 3 % (v1: 5 % + 2 %); ROOT level 3: 3 % + 1 % under both.
    expect(await rowCells(page, "JANE01")).toEqual(["JANE01", "unilevel", "67.66", "55.72"]);
    expect(await rowCells(page, "SAM")).toEqual(["SAM", "unilevel", "35.82", "27.86"]);
    expect(await rowCells(page, "ROOT (Root)")).toEqual(["ROOT (Root)", "unilevel", "15.92", "15.92"]);
    expect(await rowCells(page, "MIKE")).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-plan-builder-preview.png"), fullPage: true });
    expect(await Promise.all([db().ledgerTransaction.count(), db().commission.count(), db().commissionPlanVersion.count()])).toEqual(before);
  });

  it("publishes the built version: listed on the page and stored as built", async () => {
    await page.getByLabel("In force from (UTC)").fill("2026-01-01T00:00");
    await page.getByRole("button", { name: "Publish version" }).click();
    await page.getByText("Version 2 published").waitFor();
    await waitUntil(async () => (await rowCells(page, "2")).length > 0 || null, 10_000, "version 2 in the list");
    const listed = await rowCells(page, "2");
    // The badge carries a visually hidden tone word ("Success") before its label.
    expect(listed[1]).toMatch(/In force$/);
    expect(listed[2]).toBe("2026-01-01 00:00");
    expect(listed[3]).toBe("unilevel (unilevel)");

    const stored = await db().commissionPlanVersion.findFirstOrThrow({ where: { shopId: shop.shopId, version: 2 } });
    expect(stored.rules).toEqual(BUILT);
    expect(stored.effectiveFrom.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(stored.publishedBy).toBe(`admin:${TEST_SHOP}`);
    expect(await db().auditLog.count({ where: { shopId: shop.shopId, action: "commission_plan.published" } })).toBe(2);
  });

  it("diffs the published version against the one before", async () => {
    await page.reload();
    await page.getByLabel("From", { exact: true }).selectOption("1");
    await page.getByLabel("To", { exact: true }).selectOption("2");
    await page.getByText("components[unilevel].rates.standard[0].percent").waitFor();
    // v1 paid standard 10 / 5 / 3 and general 4 / 2 / 1: four rates changed, level 3 of both did not.
    expect(await rowCells(page, "components[unilevel].rates.standard[0].percent")).toEqual([
      "components[unilevel].rates.standard[0].percent",
      "changed",
      '"10"',
      '"12"',
    ]);
    expect(await rowCells(page, "components[unilevel].rates.general[1].percent")).toEqual([
      "components[unilevel].rates.general[1].percent",
      "changed",
      '"2"',
      '"3"',
    ]);
    expect(await page.locator("tbody tr").filter({ hasText: "components[unilevel]" }).count()).toBe(4);
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-plan-builder.png"), fullPage: true });
  });
});
