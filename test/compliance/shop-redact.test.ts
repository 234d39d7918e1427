/**
 * shop/redact, 48 hours after an uninstall: every row of that shop is erased (ledger included), through the real
 * ingest route and worker; another shop is untouched, and a shop that reinstalled is kept.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";
import { orderBody, orderRow, seedShop, type SeededShop } from "../commissions/support";

const app = runAppAndWorkers();
let shop: SeededShop;
const OTHER = "still-here.myshopify.com";

beforeAll(async () => {
  shop = await seedShop();
  await deliver(orderBody("7770001"), "orders/paid");
  const order = await waitUntil(() => orderRow(shop.shopId, "7770001"), 20_000, "the order");
  await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, "its commission");
  const other = await ensureShopifyShop(db(), OTHER);
  await enrollDistributor(db(), other.id, { code: "KEEPME", enrolledAt: "2021-01-01T00:00:00Z" });
});

async function deliver(body: string, topic: string, shopDomain = TEST_SHOP) {
  const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId: randomUUID(), shop: shopDomain }));
  expect(response.status).toBe(200);
}

const redactBody = (domain: string) => JSON.stringify({ shop_id: 954889, shop_domain: domain });

async function rowsOf(shopId: string) {
  const [distributors, orders, postings, events] = await Promise.all([
    db().distributor.count({ where: { shopId } }),
    db().order.count({ where: { shopId } }),
    db().ledgerPosting.count({ where: { shopId } }),
    db().webhookEvent.count({ where: { shopId } }),
  ]);
  return { distributors, orders, postings, events };
}

describe("shop/redact", () => {
  it("keeps a shop that is installed (it reinstalled, or never left)", async () => {
    const before = await rowsOf(shop.shopId);
    await deliver(redactBody(TEST_SHOP), "shop/redact");
    // Nothing to erase: settled as ignored (with the reason), never marked processed.
    await waitUntil(
      async () => (await db().webhookEvent.count({ where: { shopId: shop.shopId, topic: "shop/redact", status: "ignored" } })) === 1,
      20_000,
      "the redact to be settled",
    );
    const after = await rowsOf(shop.shopId);
    expect(after.distributors).toBe(before.distributors);
    expect(after.postings).toBe(before.postings);
    expect(after.postings).toBeGreaterThan(0);
  });

  it("erases every row of an uninstalled shop, ledger included, and nothing of another shop", async () => {
    await deliver(JSON.stringify({ id: 1, domain: TEST_SHOP }), "app/uninstalled");
    await waitUntil(async () => (await db().shop.findUnique({ where: { id: shop.shopId } }))?.status === "uninstalled", 20_000, "the uninstall");
    // Shopify sends shop/redact 48 hours after the uninstall: the two days pass.
    await db().shop.update({ where: { id: shop.shopId }, data: { uninstalledAt: new Date(Date.now() - 49 * 3_600_000) } });
    await deliver(redactBody(TEST_SHOP), "shop/redact");
    await waitUntil(async () => (await db().shop.findUnique({ where: { id: shop.shopId } })) === null, 20_000, "the shop to be erased");

    expect(await rowsOf(shop.shopId)).toEqual({ distributors: 0, orders: 0, postings: 0, events: 0 });
    expect(await db().session.count({ where: { shop: TEST_SHOP } })).toBe(0);
    const other = await db().shop.findUniqueOrThrow({ where: { domain: OTHER } });
    expect((await rowsOf(other.id)).distributors).toBe(1);
  });
});
