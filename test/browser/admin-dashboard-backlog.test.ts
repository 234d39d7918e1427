/**
 * Issue 15, observability: the admin dashboard shows the shop's inbox backlog and its oldest pending event. The
 * web runs without workers here, so what the ingest stores stays pending; the card counts it and names the
 * oldest, and says nothing waits once the rows are done.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { startAppServer, type TestServer } from "../support/app-server";
import { adminContext, embeddedUrl, launchBrowser, storeOfflineSession } from "../support/admin-browser";
import { shopifyDelivery } from "../support/deliveries";
import { orderBody } from "../commissions/support";

const SHOP = "backlog-admin.myshopify.com";

describe("admin dashboard: inbox backlog", () => {
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
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const card = () => page.locator("div", { has: page.getByRole("heading", { name: "Inbox backlog" }) }).last();

  it("counts the events waiting and names the oldest pending one", async () => {
    for (const [topic, orderId] of [
      ["orders/create", "7158000001"],
      ["orders/paid", "7158000002"],
    ]) {
      const response = await fetch(`${server.url}/ingest/shopify`, shopifyDelivery(orderBody(orderId!), { topic, shop: SHOP, webhookId: randomUUID() }));
      expect(response.status).toBe(200);
    }
    await page.goto(embeddedUrl(server.url, "/app", SHOP));
    await expect.poll(() => card().innerText(), { timeout: 20_000 }).toContain("2 waiting");
    const text = await card().innerText();
    expect(text).toMatch(/Oldest pending: shopify orders\/create, received \d+ s ago/);
  });

  it("says nothing waits once the events are done", async () => {
    await db().webhookEvent.updateMany({ where: { shopId }, data: { status: "processed", processedAt: new Date() } });
    await page.goto(embeddedUrl(server.url, "/app", SHOP));
    await expect.poll(() => card().innerText(), { timeout: 20_000 }).toContain("0 waiting");
    expect(await card().innerText()).toContain("No event is waiting.");
  });
});
