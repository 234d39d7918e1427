import { db } from "~/db.server";
import { findShopByDomain } from "~/services/shops.server";
import { authenticate } from "~/shopify.server";

export interface AdminShop {
  readonly shop: { readonly id: string; readonly domain: string };
  /** The Shopify session the request was authenticated with (its shop and id name the acting admin). */
  readonly session: { readonly id: string; readonly shop: string };
}

/**
 * The guard of every embedded admin route: authenticates the request as Shopify's admin (which redirects or
 * answers 401 itself when it must) and finds the shop's row. It only reads: the row is written once, when the
 * shop installs or re-authenticates (the afterAuth hook in app/shopify.server.ts), not on every page view, so
 * a page view costs one indexed read and takes no row lock.
 *
 * A session without a Shop row cannot come from an install (afterAuth creates the row before the first page);
 * it is refused rather than silently re-created.
 */
export async function requireShop(request: Request): Promise<AdminShop> {
  const { session } = await authenticate.admin(request);
  const shop = await findShopByDomain(db(), session.shop);
  if (!shop) {
    throw new Response("This shop has not finished installing Upline. Open the app from your Shopify admin again to reinstall it.", {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return { shop: { id: shop.id, domain: shop.domain }, session: { id: session.id, shop: session.shop } };
}
