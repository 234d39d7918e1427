/**
 * Issue 13, the admin's Connections page in real Chromium, with the real worker: connect a WooCommerce store
 * (the secret shown once, the ingest URL and WooCommerce's setup steps), send a signed test delivery and see it
 * arrive (an inbox row for the connection, shown on the page once the worker has taken it), rotate the secret
 * (old and new both accepted over HTTP during the grace period, anything else refused), and disable the store.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { db } from "~/db.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { adminContext, embeddedUrl, launchBrowser, storeOfflineSession } from "../support/admin-browser";
import { waitUntil, wooCommerceDelivery } from "../support/deliveries";

const SHOP = "connections-admin.myshopify.com";
const SCREENSHOTS = path.resolve(".cache", "screenshots");

const app = runAppAndWorkers();
let browser: Browser;
let page: Page;
let shopId: string;

beforeAll(async () => {
  await storeOfflineSession(SHOP);
  shopId = (await db().shop.findUniqueOrThrow({ where: { domain: SHOP }, select: { id: true } })).id;
  browser = await launchBrowser();
  page = await (await adminContext(browser)).newPage();
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.goto(embeddedUrl(app.server.url, "/app/connections", SHOP));
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const connection = () => db().connection.findFirstOrThrow({ where: { shopId, name: "Woo Shop" } });
/** A delivery of a topic the worker ignores, signed with `secret`, over real HTTP to the connection's ingest URL. */
const deliver = async (connectionId: string, secret: string) =>
  (
    await fetch(
      `${app.server.url}/ingest/woocommerce/${connectionId}`,
      wooCommerceDelivery(JSON.stringify({ id: randomUUID() }), secret, "action.upline_test_delivery"),
    )
  ).status;

describe("admin Connections page in Chromium", () => {
  it("starts empty and refuses a store without a name next to the field", async () => {
    await page.getByText("No WooCommerce or Magento store is connected").waitFor();
    await page.getByLabel("Store address").fill("https://woo.example");
    await page.getByRole("button", { name: "Connect store" }).click();
    await page.getByText("give the store a name").waitFor();
    expect(await page.getByLabel("Store address").inputValue()).toBe("https://woo.example");
    expect(await db().connection.count({ where: { shopId } })).toBe(0);
  });

  it("connects a WooCommerce store: the secret once, the ingest URL and the setup steps", async () => {
    await page.getByLabel("Store name").fill("Woo Shop");
    await page.getByRole("button", { name: "Connect store" }).click();
    await page.getByText("Woo Shop connected. Copy the secret now: it is not shown again.").waitFor();
    const row = await connection();
    expect(row).toMatchObject({ platform: "woocommerce", name: "Woo Shop", baseUrl: "https://woo.example", status: "active" });
    expect(await page.getByTestId("webhook-secret").innerText()).toBe(row.webhookSecret);
    await page.getByText(`https://upline.test/ingest/woocommerce/${row.id}`).waitFor();
    await page.getByText("In WordPress, open WooCommerce › Settings › Advanced › Webhooks and add a webhook.").waitFor();
    await page.getByText("Nothing has arrived yet.").waitFor();
    expect(await db().auditLog.count({ where: { shopId, action: "connection.created", entityId: row.id, actor: `admin:${SHOP}` } })).toBe(1);
  });

  it("sends a signed test delivery and shows it arriving in the inbox", async () => {
    await page.getByRole("button", { name: "Send test delivery Woo Shop" }).click();
    await page.getByText("Test delivery to Woo Shop accepted: it is in the inbox below.").waitFor();
    const { id, webhookSecret } = await connection();
    const event = await waitUntil(
      () => db().webhookEvent.findFirst({ where: { shopId, connectionId: id, status: { notIn: ["pending", "processing"] } } }),
      20_000,
      "the test delivery processed",
    );
    expect(event).toMatchObject({ platform: "woocommerce", topic: "action.upline_test_delivery", status: "ignored" });
    // Stored only because its signature verified (the signature header itself is checked, never stored); the
    // same secret signs a delivery over HTTP that is accepted too.
    expect(Object.keys(event.headers as Record<string, string>)).not.toContain("x-wc-webhook-signature");
    expect(await deliver(id, webhookSecret)).toBe(200);
    await page.getByRole("row", { name: /action\.upline_test_delivery ignored/ }).waitFor({ timeout: 20_000 });
  });

  it("rotates the secret: old and new both accepted during the grace period, nothing else", async () => {
    const before = await connection();
    expect(await deliver(before.id, before.webhookSecret)).toBe(200);
    await page.getByRole("button", { name: "Rotate secret Woo Shop" }).click();
    await page.getByText(/^New secret for Woo Shop\. The old one is accepted until/).waitFor();
    const after = await connection();
    expect(after.webhookSecret).not.toBe(before.webhookSecret);
    expect(after.previousWebhookSecret).toBe(before.webhookSecret);
    expect(after.previousSecretUntil!.getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(await page.getByTestId("webhook-secret").innerText()).toBe(after.webhookSecret);
    await page.getByText(/The previous secret is still accepted until/).waitFor();
    expect(await deliver(after.id, after.webhookSecret)).toBe(200);
    expect(await deliver(after.id, before.webhookSecret)).toBe(200);
    expect(await deliver(after.id, "whsec_someone_else")).toBe(401);
    const audit = await db().auditLog.findFirstOrThrow({ where: { shopId, action: "connection.secret_rotated" } });
    expect(JSON.stringify({ ...audit, id: String(audit.id) })).not.toContain(before.webhookSecret);
  });

  it("disables the store: its deliveries and test deliveries are refused", async () => {
    await page.getByRole("button", { name: "Disable Woo Shop" }).click();
    await page.getByText("Woo Shop disabled: its deliveries are refused.").waitFor();
    const row = await connection();
    expect(row.status).toBe("disabled");
    // The ingest path caches a connection for up to 30 s (connection-cache.server.ts): disabling takes effect
    // within that, whichever process served the admin.
    await expect.poll(() => deliver(row.id, row.webhookSecret), { timeout: 40_000, interval: 2_000 }).toBe(403);
    await page.getByRole("button", { name: "Send test delivery Woo Shop" }).click();
    await page.getByText("Test delivery refused: Woo Shop is disabled.").waitFor();
    await page.getByRole("button", { name: "Enable Woo Shop" }).waitFor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-connections.png"), fullPage: true });
  });
});
