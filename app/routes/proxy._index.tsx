import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { findShopByDomain } from "~/services/shops.server";
import { joinFromPortal, portalView } from "~/services/portal/portal-view.server";
import { portalMarkup } from "~/components/portal/portal-markup.server";
import { portalPathPrefix } from "~/services/portal/proxy-path.server";
import { assertProxyQuery, referralCodeInput } from "~/services/portal/proxy-request.server";

const UNAVAILABLE = "<p>This store's affiliate program is not available.</p>";

// The storefront's proxy path (/apps/upline unless the merchant changed it), through Shopify's app proxy: the
// query's shape, then its signature, are checked before anything is read, and links use the signed
// `path_prefix` Shopify sent.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  assertProxyQuery(url);
  const { liquid } = await authenticate.public.appProxy(request);
  const shop = await findShopByDomain(db(), url.searchParams.get("shop") ?? "");
  if (!shop || shop.status !== "active") return liquid(UNAVAILABLE);
  // `ref` is there when the visitor followed a referral link to the portal: it prefills the join form.
  const ref = referralCodeInput(url.searchParams.get("ref"));
  const view = await portalView(db(), shop, url.searchParams.get("logged_in_customer_id") || null, { sponsorCode: ref.valid ? ref.code : null });
  return liquid(portalMarkup(view, portalPathPrefix(url.searchParams.get("path_prefix"))));
};

// The join form. Only a customer Shopify says is signed in can join, and only as themselves.
export const action = async ({ request }: ActionFunctionArgs) => {
  const url = new URL(request.url);
  assertProxyQuery(url);
  const { liquid } = await authenticate.public.appProxy(request);
  const shop = await findShopByDomain(db(), url.searchParams.get("shop") ?? "");
  if (!shop || shop.status !== "active") return liquid(UNAVAILABLE);
  const customerId = url.searchParams.get("logged_in_customer_id");
  const proxyPath = portalPathPrefix(url.searchParams.get("path_prefix"));
  if (!customerId) return liquid(portalMarkup({ kind: "signed_out" }, proxyPath));
  const sponsor = referralCodeInput(await sponsorField(request));
  if (!sponsor.valid) return liquid(portalMarkup({ kind: "not_enrolled", sponsorCode: null, error: "No affiliate has that code." }, proxyPath));
  return liquid(portalMarkup(await joinFromPortal(db(), shop, customerId, sponsor.code), proxyPath));
};

/** The join form's sponsor field; a body that is no form (or not one we can read) has none. */
async function sponsorField(request: Request): Promise<unknown> {
  try {
    return (await request.formData()).get("sponsor");
  } catch {
    return null;
  }
}
