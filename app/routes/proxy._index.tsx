import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { findShopByDomain } from "~/services/shops.server";
import { joinFromPortal, portalView } from "~/services/portal/portal-view.server";
import { portalMarkup } from "~/components/portal/portal-markup.server";
import { portalPathPrefix } from "~/services/portal/proxy-path.server";

const UNAVAILABLE = "<p>This store's affiliate program is not available.</p>";

// The storefront's proxy path (/apps/upline unless the merchant changed it), through Shopify's app proxy: the
// signature is checked before anything is read, and links use the signed `path_prefix` Shopify sent.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { liquid } = await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const shop = await findShopByDomain(db(), url.searchParams.get("shop") ?? "");
  if (!shop || shop.status !== "active") return liquid(UNAVAILABLE);
  // `ref` is there when the visitor followed a referral link to the portal: it prefills the join form.
  const view = await portalView(db(), shop, url.searchParams.get("logged_in_customer_id") || null, { sponsorCode: url.searchParams.get("ref") });
  return liquid(portalMarkup(view, portalPathPrefix(url.searchParams.get("path_prefix"))));
};

// The join form. Only a customer Shopify says is signed in can join, and only as themselves.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { liquid } = await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const shop = await findShopByDomain(db(), url.searchParams.get("shop") ?? "");
  if (!shop || shop.status !== "active") return liquid(UNAVAILABLE);
  const customerId = url.searchParams.get("logged_in_customer_id");
  const proxyPath = portalPathPrefix(url.searchParams.get("path_prefix"));
  if (!customerId) return liquid(portalMarkup({ kind: "signed_out" }, proxyPath));
  const sponsor = String((await request.formData()).get("sponsor") ?? "").trim();
  return liquid(portalMarkup(await joinFromPortal(db(), shop, customerId, sponsor === "" ? null : sponsor), proxyPath));
};
