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

/**
 * app/uninstalled: the shop keeps its data (commissions already earned are still owed) but is marked
 * uninstalled, and its sessions go, since their tokens no longer work. Redelivery is harmless.
 */
export async function markShopUninstalled(tx: Pick<Db, "shop" | "session">, shopId: string) {
  const shop = await tx.shop.update({ where: { id: shopId }, data: { status: "uninstalled", uninstalledAt: new Date() }, select: { domain: true } });
  await tx.session.deleteMany({ where: { shop: shop.domain } });
}
