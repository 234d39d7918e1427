/**
 * Issue 13, the admin's Catalog page in real Chromium: create and rename commission classes (a bad key is an
 * error next to the field, the typed input kept), map a variant found by searching the shop's catalog (read
 * through the Admin API client from the local fake), fix an SKU an order sold unmapped in one click, and import
 * and export the mapping as CSV. Page and database are checked at each step, audit rows included.
 */
import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { db } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { createCommissionClass } from "~/services/commissions/setup.server";
import { ShopifyAdminClient } from "~/services/shopify/admin-client.server";
import { syncShopifyCatalog } from "~/services/shopify/catalog.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { adminContext, embeddedUrl, launchBrowser, storeOfflineSession } from "../support/admin-browser";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";
import { startFakeShopifyAdmin, type FakeShopifyAdmin } from "../support/fakes/shopify-admin";
import { orderBody } from "../commissions/support";

const SCREENSHOTS = path.resolve(".cache", "screenshots");

const app = runAppAndWorkers();
let fake: FakeShopifyAdmin;
let shopId: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  fake = await startFakeShopifyAdmin("shpat_catalog_page");
  shopId = (await ensureShopifyShop(db(), TEST_SHOP)).id;
  fake.products = [
    {
      id: "gid://shopify/Product/501",
      title: "Starter Kit",
      tags: ["kit"],
      updatedAt: "2026-01-01T00:00:00Z",
      variants: [{ id: "gid://shopify/ProductVariant/5011", sku: "KIT-001", title: "Default Title" }],
    },
    {
      id: "gid://shopify/Product/502",
      title: "T-Shirt",
      tags: [],
      updatedAt: "2026-01-01T00:00:00Z",
      variants: [
        { id: "gid://shopify/ProductVariant/5021", sku: "TSHIRT-S", title: "Small" },
        { id: "gid://shopify/ProductVariant/5022", sku: "TSHIRT-L", title: "Large" },
      ],
    },
  ];
  const client = new ShopifyAdminClient({ apiUrl: fake.apiUrl, accessToken: async () => "shpat_catalog_page" });
  expect(await syncShopifyCatalog(db(), client, shopId, TEST_SHOP)).toEqual({ products: 2, variants: 3 });
  await createCommissionClass(db(), shopId, { key: "standard", name: "Standard", isDefault: true }, "test");
  // An order whose SKU (IPOD2008PINK, Shopify's sample) no mapping covers.
  expect((await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(orderBody("7300000001", { ref: null })))).status).toBe(200);
  await waitUntil(async () => (await db().orderLine.count({ where: { shopId } })) > 0, 20_000, "the order stored");

  await storeOfflineSession(TEST_SHOP);
  browser = await launchBrowser();
  page = await (await adminContext(browser)).newPage();
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.goto(embeddedUrl(app.server.url, "/app/catalog", TEST_SHOP));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await fake?.close();
});

const mappings = () =>
  db().skuMapping.findMany({
    where: { shopId },
    orderBy: { matchKey: "asc" },
    select: { platform: true, platformSku: true, platformVariantId: true, matchKey: true, commissionClass: { select: { key: true } } },
  });

describe("admin Catalog page in Chromium", () => {
  it("starts with the empty mapping and lists the SKU an order sold unmapped", async () => {
    await page.getByText("No SKU is mapped yet").waitFor();
    // Shopify's sample order was placed on 2021-12-31 (-05:00), 2022-01-01 in UTC.
    await page.getByRole("row", { name: /^IPOD2008PINK shopify .* \d+ 2022-01-01/ }).waitFor();
    expect(await db().skuMapping.count({ where: { shopId } })).toBe(0);
  });

  it("refuses a bad class key next to the field, keeping what was typed; then creates and renames the class", async () => {
    await page.getByLabel("Key").fill("Kits!");
    await page.getByLabel("Name", { exact: true }).fill("Starter kits");
    await page.getByRole("button", { name: "Save class" }).click();
    await page.getByText("The class was not saved.").waitFor();
    expect(await page.getByLabel("Key").inputValue()).toBe("Kits!");
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("Starter kits");
    // Polaris links a field's error to the field: the message is the field's description.
    await expect.poll(() => page.getByLabel("Key").getAttribute("aria-describedby")).toBeTruthy();
    await page.getByText("must be 1–63 letters, digits, '_', '.' or '-', starting with a letter or digit").waitFor();

    await page.getByLabel("Key").fill("kits");
    await page.getByRole("button", { name: "Save class" }).click();
    await page.getByText("Class kits created.").waitFor();
    await page.getByLabel("Key").fill("kits");
    await page.getByLabel("Name", { exact: true }).fill("Kits");
    await page.getByRole("button", { name: "Save class" }).click();
    await page.getByText("Class kits renamed to Kits.").waitFor();
    await page.getByRole("row", { name: /^kits Kits 0$/ }).waitFor();
    expect(await db().commissionClass.findUnique({ where: { shopId_key: { shopId, key: "kits" } }, select: { name: true, isDefault: true } })).toEqual({
      name: "Kits",
      isDefault: false,
    });
    expect(await db().auditLog.count({ where: { shopId, action: "commission_class.saved", actor: `admin:${TEST_SHOP}` } })).toBe(2);
  });

  it("maps a variant found by searching the catalog", async () => {
    await page.getByLabel("Search the shop's catalog by SKU, title or tag").fill("kit");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    const row = page.getByRole("row", { name: /^Starter Kit KIT-001 default/ });
    await row.waitFor();
    await row.getByLabel("Class for KIT-001").selectOption("kits");
    await row.getByRole("button", { name: "Map KIT-001" }).click();
    await page.getByText("KIT-001 mapped to kits.").waitFor();
    await page.getByRole("row", { name: /^Starter Kit KIT-001 kits/ }).waitFor();
    await page.getByRole("row", { name: /^shopify KIT-001 5011 Starter Kit kits/ }).waitFor();
    expect(await mappings()).toEqual([
      { platform: "shopify", platformSku: "KIT-001", platformVariantId: "5011", matchKey: "variant:5011", commissionClass: { key: "kits" } },
    ]);
  });

  it("fixes the unmapped SKU in one click", async () => {
    const row = page.getByRole("row", { name: /^IPOD2008PINK shopify/ });
    await row.getByLabel("Class for IPOD2008PINK").selectOption("standard");
    await row.getByRole("button", { name: "Map IPOD2008PINK" }).click();
    await page.getByText("IPOD2008PINK mapped to standard.").waitFor();
    await page.getByText("Every SKU sold in the last 90 days has a class.").waitFor();
    expect((await mappings()).find((m) => m.matchKey === "sku:IPOD2008PINK")?.commissionClass.key).toBe("standard");
  });

  it("refuses a CSV with a bad row whole, then imports a good one", async () => {
    const upload = (name: string, text: string) => page.getByLabel("Mapping CSV file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(text) });
    await upload("bad.csv", "platform,sku,variant_id,class\nshopify,TSHIRT-S,,kits\nshopify,TSHIRT-L,,nope\n");
    await page.getByRole("button", { name: "Import" }).click();
    await page.getByText('Nothing was imported: line 3: no class "nope".').waitFor();
    expect(await mappings()).toHaveLength(2);

    await upload("good.csv", 'platform,sku,variant_id,class\r\nshopify,TSHIRT-S,,kits\r\n"woocommerce","WOO-9",,standard\r\n');
    await page.getByRole("button", { name: "Import" }).click();
    await page.getByText("Imported 2 mappings.").waitFor();
    await page.getByText("SKU mappings (4)").waitFor();
    const rows = await mappings();
    expect(rows.filter((m) => m.matchKey === "sku:TSHIRT-S" || m.matchKey === "sku:WOO-9")).toEqual([
      { platform: "shopify", platformSku: "TSHIRT-S", platformVariantId: null, matchKey: "sku:TSHIRT-S", commissionClass: { key: "kits" } },
      { platform: "woocommerce", platformSku: "WOO-9", platformVariantId: null, matchKey: "sku:WOO-9", commissionClass: { key: "standard" } },
    ]);
  });

  it("exports the whole mapping as the CSV the import reads", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    const lines = (await readFile(await download.path(), "utf8")).split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("platform,sku,variant_id,class");
    expect(lines.slice(1).sort()).toEqual([
      "shopify,IPOD2008PINK,,standard",
      "shopify,KIT-001,5011,kits",
      "shopify,TSHIRT-S,,kits",
      "woocommerce,WOO-9,,standard",
    ]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-catalog.png"), fullPage: true });
  });
});
