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

/**
 * shop/redact (sent 48 hours after an uninstall): erase everything held for the shop, the ledger included, by
 * deleting the Shop row (every table cascades from it; the ledger's append-only triggers allow exactly this
 * cascade). A shop that has been reinstalled since is kept: Shopify asks for erasure of shops that left.
 * Returns whether the shop was erased.
 */
export async function eraseUninstalledShop(db: Db, shopId: string): Promise<{ erased: boolean; domain: string | null }> {
  return db.$transaction(async (tx) => {
    const [shop] = await tx.$queryRaw<{ domain: string; status: string }[]>`
      SELECT "domain", "status"::text AS status FROM "Shop" WHERE "id" = ${shopId}::uuid FOR UPDATE`;
    if (!shop || shop.status !== "uninstalled") return { erased: false, domain: shop?.domain ?? null };
    await tx.session.deleteMany({ where: { shop: shop.domain } });
    await tx.shop.delete({ where: { id: shopId } });
    return { erased: true, domain: shop.domain };
  });
}
