import type { Db } from "~/db.server";

/** The Shop row of a Shopify install, created on first sight and reactivated on reinstall. */
export async function ensureShopifyShop(db: Db, shopDomain: string) {
  return db.shop.upsert({
    where: { domain: shopDomain },
    create: { domain: shopDomain },
    update: { status: "active", uninstalledAt: null },
  });
}

export async function findShopByDomain(db: Db, shopDomain: string) {
  return db.shop.findUnique({ where: { domain: shopDomain } });
}
