import { LRUCache } from "lru-cache";
import type { Db } from "~/db.server";

/**
 * Shop ids by domain for the ingest hot path (a query saved per delivery). The database decides, the cache
 * follows: only an install creates a Shop row (a webhook never does: anyone can send any domain in a header),
 * shop/redact deletes it, a reinstall makes a new one. So an entry lives a minute at most, the ingest drops
 * an entry the database contradicted (an insert refused because its shop is gone: see forgetShopDomain), and
 * a domain with no shop is remembered only for a few seconds. Both maps are bounded, so a flood of made-up
 * domains costs neither unbounded memory nor a query per delivery.
 */
const KNOWN_TTL_MS = 60_000;
const UNKNOWN_TTL_MS = 5_000;
const known = new LRUCache<string, string>({ max: 10_000, ttl: KNOWN_TTL_MS });
const unknown = new LRUCache<string, true>({ max: 2_000, ttl: UNKNOWN_TTL_MS });

/** The id of the installed (or uninstalled, not yet erased) shop of this domain, or null when there is none. */
export async function shopIdForDomain(db: Db, domain: string): Promise<string | null> {
  const cached = known.get(domain);
  if (cached) return cached;
  if (unknown.get(domain)) return null;
  const shop = await db.shop.findUnique({ where: { domain }, select: { id: true } });
  if (shop) known.set(domain, shop.id);
  else unknown.set(domain, true);
  return shop?.id ?? null;
}

export function forgetShopDomain(domain: string): void {
  known.delete(domain);
  unknown.delete(domain);
}
