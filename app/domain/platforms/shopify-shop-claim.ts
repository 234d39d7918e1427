/**
 * Shopify signs a delivery's body, not its headers: `X-Shopify-Shop-Domain` and `X-Shopify-Topic` can be
 * swapped on a captured body and the signature still holds. For the topics whose body names its shop (the
 * uninstall and the compliance topics, the ones that mark, redact or erase a shop's data), the body's shop
 * must be the header's.
 */

const SHOP_NAMING_TOPICS = new Set(["app/uninstalled", "shop/redact", "customers/redact", "customers/data_request"]);

export type ShopClaim = { ok: true } | { ok: false; reason: "unnamed" | "mismatch"; bodyShop: string | null };

export function topicNamesShop(topic: string): boolean {
  return SHOP_NAMING_TOPICS.has(topic.trim().toLowerCase());
}

/**
 * The shop a body names: `myshopify_domain` (app/uninstalled: the shop resource, whose `domain` is the primary,
 * possibly custom, domain), `shop_domain` (compliance topics), else `domain`.
 */
export function bodyShopDomain(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const fields = body as Record<string, unknown>;
  for (const key of ["myshopify_domain", "shop_domain", "domain"]) {
    const value = fields[key];
    if (typeof value === "string" && value.trim() !== "") return value.trim().toLowerCase();
  }
  return null;
}

/** Whether a delivery of `topic` for `headerShop` may act on that shop, given its (parsed) body. */
export function checkShopClaim(topic: string, headerShop: string, body: unknown): ShopClaim {
  if (!topicNamesShop(topic)) return { ok: true };
  const bodyShop = bodyShopDomain(body);
  if (bodyShop === null) return { ok: false, reason: "unnamed", bodyShop };
  return bodyShop === headerShop.trim().toLowerCase() ? { ok: true } : { ok: false, reason: "mismatch", bodyShop };
}

/** Shopify sends shop/redact 48 hours after the uninstall (shopify.dev, privacy law compliance). */
export const SHOP_REDACT_AFTER_UNINSTALL_MS = 48 * 3_600_000;

export type RedactDecision =
  { erase: true } | { erase: false; reason: "installed" | "session-present"; until?: undefined } | { erase: false; reason: "too-early"; until: Date };

/**
 * Whether a shop/redact may erase the shop now. Only a shop that really left: marked uninstalled, with no
 * offline session (a reinstall creates one), and uninstalled at least 48 hours ago, as Shopify sends it. An
 * earlier one (a replayed body right after a forged or replayed uninstall) waits until then and is checked
 * again, so the merchant's return in between keeps the shop.
 */
export function decideShopRedact(shop: { status: string; uninstalledAt: Date | null }, hasOfflineSession: boolean, now: Date): RedactDecision {
  if (shop.status !== "uninstalled" || shop.uninstalledAt === null) return { erase: false, reason: "installed" };
  if (hasOfflineSession) return { erase: false, reason: "session-present" };
  const due = new Date(shop.uninstalledAt.getTime() + SHOP_REDACT_AFTER_UNINSTALL_MS);
  return due.getTime() > now.getTime() ? { erase: false, reason: "too-early", until: due } : { erase: true };
}
