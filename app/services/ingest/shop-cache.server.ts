import type { Db } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";

/**
 * Shop ids by domain, kept in memory: shop rows are never deleted (uninstall only marks them), so a cached id
 * stays right, and the ingest hot path saves a query per delivery.
 */
const shopIds = new Map<string, string>();
const MAX_ENTRIES = 10_000;

export async function shopIdForDomain(db: Db, domain: string): Promise<string> {
  const cached = shopIds.get(domain);
  if (cached) return cached;
  const shop = await ensureShopifyShop(db, domain);
  if (shopIds.size >= MAX_ENTRIES) shopIds.clear();
  shopIds.set(domain, shop.id);
  return shop.id;
}
