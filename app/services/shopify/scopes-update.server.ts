/**
 * `app/scopes_update`: Shopify tells the app that the merchant granted or revoked access scopes (an optional
 * scope, a new version's scopes). The stored offline session's `scope` must follow, or
 * `authenticate.admin` compares against stale scopes and the Admin API client assumes access it no longer has.
 * Payload: `{ "id", "previous": [..], "current": [..], "updated_at" }`; only `current` is used.
 */
import type { Tx } from "~/db/tx.server";

const SCOPE = /^[a-z_]{1,64}$/;

/** The granted scopes from the body, or null when it has no valid `current` list. */
export function scopesFromBody(rawBody: string): string[] | null {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return null;
  }
  const current = body && typeof body === "object" ? (body as { current?: unknown }).current : undefined;
  if (!Array.isArray(current) || !current.every((scope): scope is string => typeof scope === "string" && SCOPE.test(scope))) return null;
  return [...new Set(current)];
}

/** Writes the shop's new scopes on its offline sessions; how many were updated, or null for an invalid body. */
export async function applyScopesUpdate(tx: Tx, shopId: string, rawBody: string): Promise<{ scopes: string; sessions: number } | null> {
  const scopes = scopesFromBody(rawBody);
  if (scopes === null) return null;
  const shop = await tx.shop.findUnique({ where: { id: shopId }, select: { domain: true } });
  if (!shop) return null;
  const scope = scopes.join(",");
  const updated = await tx.session.updateMany({ where: { shop: shop.domain, isOnline: false }, data: { scope } });
  await tx.auditLog.create({
    data: { shopId, actor: "shopify:webhook", action: "app.scopes_updated", entityType: "Shop", entityId: shopId, after: { scope } },
  });
  return { scopes: scope, sessions: updated.count };
}
