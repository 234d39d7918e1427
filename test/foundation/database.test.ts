import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";

describe("PostgreSQL through Prisma's pg adapter", () => {
  it("creates a shop once per domain and reactivates it on reinstall", async () => {
    const first = await ensureShopifyShop(db(), "one.myshopify.com");
    await db().shop.update({ where: { id: first.id }, data: { status: "uninstalled", uninstalledAt: new Date() } });
    const again = await ensureShopifyShop(db(), "one.myshopify.com");
    expect(again.id).toBe(first.id);
    expect(again.status).toBe("active");
    expect(again.uninstalledAt).toBeNull();
    expect(await db().shop.count({ where: { domain: "one.myshopify.com" } })).toBe(1);
  });

  it("enforces one inbox row per (shop, platform, event key) in the database itself", async () => {
    const shop = await ensureShopifyShop(db(), "two.myshopify.com");
    const row = { shopId: shop.id, platform: "shopify" as const, eventKey: "webhook-1", topic: "orders/paid", rawBody: "{}" };
    await db().webhookEvent.create({ data: row });
    await expect(db().webhookEvent.create({ data: row })).rejects.toThrow(/Unique constraint/);
  });

  it("keeps 64-bit money amounts exact", async () => {
    const shop = await ensureShopifyShop(db(), "three.myshopify.com");
    const big = 9_007_199_254_740_993n; // 2^53 + 1: not representable as a JS number
    const order = await db().order.create({
      data: {
        shopId: shop.id,
        platform: "shopify",
        platformOrderId: "820982911946154508",
        orderedAt: new Date(),
        platformUpdatedAt: new Date(),
        status: "paid",
        currency: "USD",
        subtotalMinor: big,
        discountMinor: 0n,
        shippingMinor: 0n,
        taxMinor: 0n,
        totalMinor: big,
        normalized: {},
      },
    });
    const read = await db().order.findUniqueOrThrow({ where: { id: order.id } });
    expect(read.totalMinor).toBe(big);
    expect(read.platformOrderId).toBe("820982911946154508");
  });
});
