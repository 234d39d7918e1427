import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { findShopByDomain } from "~/services/shops.server";
import { portalView } from "~/services/portal/portal-view.server";
import { portalMarkup } from "~/components/portal/portal-markup.server";

// /apps/upline on the storefront, through Shopify's app proxy: the signature is checked before anything is read.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { liquid } = await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const shop = await findShopByDomain(db(), url.searchParams.get("shop") ?? "");
  if (!shop || shop.status !== "active") return liquid("<p>This store's affiliate program is not available.</p>");
  const view = await portalView(db(), shop, url.searchParams.get("logged_in_customer_id") || null);
  return liquid(portalMarkup(view));
};
