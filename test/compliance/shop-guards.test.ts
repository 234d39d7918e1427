/**
 * Issue 15, defects 3 and 4. Shopify signs a delivery's body, not its headers, so a captured genuine body can be
 * replayed with another X-Shopify-Shop-Domain or X-Shopify-Topic. Such replays created shop rows for any
 * domain, marked another shop uninstalled and erased it with shop/redact. And the ingest's shop-id cache did
 * not follow the database: a web process started after an uninstall took shop/redact for a new shop
 * (reactivating it: nothing erased, yet `processed`), and after an erase it kept the old id and answered 503.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { queues } from "~/queues.server";
import { fixtureText } from "~test/support/platforms/fixtures";
import { ensureShopifyShop } from "~/services/shops.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { replayEvent } from "~/services/inbox/replay.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";
import { orderBody, orderRow, seedShop, type SeededShop } from "../commissions/support";

const app = runAppAndWorkers();
const VICTIM = "victim.myshopify.com";
let shop: SeededShop;
let victimId: string;

const compliance = (name: string, domain: string) => fixtureText("shopify", name).replaceAll("{shop}.myshopify.com", domain);
const uninstallBody = (domain: string) =>
  fixtureText("shopify", "app_uninstalled.sample.trigger-dev.json").replace('"myshopify_domain": null', `"myshopify_domain": "${domain}"`);
const FORTY_NINE_HOURS_AGO = () => new Date(Date.now() - 49 * 3_600_000);

function deliver(body: string, topic: string, shopDomain: string, url = app.server.url) {
  return fetch(`${url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId: randomUUID(), shop: shopDomain }));
}

async function uninstall(domain: string) {
  expect((await deliver(uninstallBody(domain), "app/uninstalled", domain)).status).toBe(200);
  await waitUntil(async () => (await db().shop.findUnique({ where: { domain } }))?.status === "uninstalled", 20_000, `${domain} uninstalled`);
}

beforeAll(async () => {
  shop = await seedShop();
  victimId = (await ensureShopifyShop(db(), VICTIM)).id;
  await enrollDistributor(db(), victimId, { code: "KEEPME", enrolledAt: "2021-01-01T00:00:00Z" });
  // Warms the web's shop-id cache with the shop's id.
  expect((await deliver(orderBody("7153000001"), "orders/paid", TEST_SHOP)).status).toBe(200);
  await waitUntil(() => orderRow(shop.shopId, "7153000001"), 20_000, "the first order");
});

describe("deliveries never create a shop", () => {
  it("answers 404 to a signed delivery for a domain with no install, and stores nothing", async () => {
    const shops = await db().shop.count();
    const events = await db().webhookEvent.count();
    for (const domain of ["<script>alert(1)</script>", "nobody.myshopify.com"]) {
      const response = await deliver(orderBody("7153000002"), "orders/paid", domain);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ type: "urn:upline:problem:unknown-shop", status: 404 });
    }
    expect(await db().shop.count()).toBe(shops);
    expect(await db().webhookEvent.count()).toBe(events);
  });
});

describe("a genuine body replayed with another shop's header", () => {
  it("is refused (400) for the topics that act on a shop, and the other shop keeps everything", async () => {
    const replays: [string, string][] = [
      ["app/uninstalled", uninstallBody(TEST_SHOP)],
      ["customers/redact", compliance("customers_redact.shopify-dev.json", TEST_SHOP)],
      ["customers/data_request", compliance("customers_data_request.shopify-dev.json", TEST_SHOP)],
      ["shop/redact", compliance("shop_redact.shopify-dev.json", TEST_SHOP)],
      // The uninstall's body with no shop in it at all (the sample as published) is refused too.
      ["app/uninstalled", fixtureText("shopify", "app_uninstalled.sample.trigger-dev.json")],
    ];
    for (const [topic, body] of replays) {
      const response = await deliver(body, topic, VICTIM);
      expect(response.status, topic).toBe(400);
      expect(await response.json()).toMatchObject({ type: "urn:upline:problem:shop-mismatch" });
    }
    expect(await db().webhookEvent.count({ where: { shopId: victimId } })).toBe(0);
    expect(await db().shop.findUniqueOrThrow({ where: { id: victimId } })).toMatchObject({ status: "active", uninstalledAt: null });
    expect(await db().distributor.count({ where: { shopId: victimId } })).toBe(1);
  });
});

describe("shop/redact", () => {
  it("is put off while the uninstall is younger than 48 hours, and erases once they have passed", async () => {
    await uninstall(VICTIM);
    expect((await deliver(compliance("shop_redact.shopify-dev.json", VICTIM), "shop/redact", VICTIM)).status).toBe(200);
    const deferred = await waitUntil(
      () => db().webhookEvent.findFirst({ where: { shopId: victimId, topic: "shop/redact", status: "pending", lastError: { contains: "put off" } } }),
      20_000,
      "the early redact to be put off",
    );
    const { uninstalledAt } = await db().shop.findUniqueOrThrow({ where: { id: victimId } });
    expect(deferred.leaseUntil?.getTime()).toBe(uninstalledAt!.getTime() + 48 * 3_600_000);
    expect(await db().distributor.count({ where: { shopId: victimId } })).toBe(1);

    // Two days pass; the operator replays it rather than wait for the sweeper.
    await db().shop.update({ where: { id: victimId }, data: { uninstalledAt: FORTY_NINE_HOURS_AGO() } });
    await replayEvent(db(), queues(), victimId, deferred.id, "test", 3);
    await waitUntil(async () => (await db().shop.findUnique({ where: { id: victimId } })) === null, 20_000, "the shop to be erased");
    expect(await db().distributor.count({ where: { shopId: victimId } })).toBe(0);
  });

  it("erases a shop that left 48 hours ago when a web process started since then receives it", async () => {
    await uninstall(TEST_SHOP);
    await db().shop.update({ where: { id: shop.shopId }, data: { uninstalledAt: FORTY_NINE_HOURS_AGO() } });
    // A restarted web process: fresh modules, so an empty shop-id cache.
    vi.resetModules();
    const { startAppServer } = await import("../support/app-server");
    const restarted = await startAppServer();
    try {
      expect((await deliver(compliance("shop_redact.shopify-dev.json", TEST_SHOP), "shop/redact", TEST_SHOP, restarted.url)).status).toBe(200);
      await waitUntil(async () => (await db().shop.findUnique({ where: { id: shop.shopId } })) === null, 20_000, "the shop to be erased");
    } finally {
      await restarted.close();
    }
    expect(await db().distributor.count({ where: { shopId: shop.shopId } })).toBe(0);
  });

  it("leaves the old web's cache following the database: 404 while the shop is gone, 200 under its new id once reinstalled", async () => {
    // app.server still holds the erased shop's id in its cache.
    const gone = await deliver(orderBody("7153000003"), "orders/paid", TEST_SHOP);
    expect(gone.status).toBe(404);

    const reinstalled = await ensureShopifyShop(db(), TEST_SHOP);
    expect(reinstalled.id).not.toBe(shop.shopId);
    // Shopify retries a failed delivery; a domain found missing is remembered for a few seconds only.
    await waitUntil(async () => (await deliver(orderBody("7153000004"), "orders/paid", TEST_SHOP)).status === 200, 15_000, "a 200 after the reinstall");
    await waitUntil(() => orderRow(reinstalled.id, "7153000004"), 20_000, "the order under the new shop id");
  });

  it("is ignored with its reason, never marked processed, for a shop that is installed", async () => {
    expect((await deliver(compliance("shop_redact.shopify-dev.json", TEST_SHOP), "shop/redact", TEST_SHOP)).status).toBe(200);
    const shopId = (await db().shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).id;
    const row = await waitUntil(
      () => db().webhookEvent.findFirst({ where: { shopId, topic: "shop/redact", status: { notIn: ["pending", "processing"] } } }),
      20_000,
      "the redact to be settled",
    );
    expect(row).toMatchObject({ status: "ignored", lastError: expect.stringMatching(/installed/) });
  });
});
