import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { findShopByDomain } from "~/services/shops.server";
import { joinFromPortal, portalView } from "~/services/portal/portal-view.server";
import { portalMarkup } from "~/components/portal/portal-markup.server";
import { findDistributorByCustomer } from "~/services/genealogy/lookup.server";
import { savePortalPayoutMethod } from "~/services/portal/portal-payouts.server";
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

// The join form, and the payout method form (intent=payout_method). Only a customer Shopify says is signed in can
// post, and only for themselves: the distributor is the one their own customer account is linked to.
export const action = async ({ request }: ActionFunctionArgs) => {
  const url = new URL(request.url);
  assertProxyQuery(url);
  const { liquid } = await authenticate.public.appProxy(request);
  const shop = await findShopByDomain(db(), url.searchParams.get("shop") ?? "");
  if (!shop || shop.status !== "active") return liquid(UNAVAILABLE);
  const customerId = url.searchParams.get("logged_in_customer_id");
  const proxyPath = portalPathPrefix(url.searchParams.get("path_prefix"));
  if (!customerId) return liquid(portalMarkup({ kind: "signed_out" }, proxyPath));
  const form = await formFields(request);
  if (form.intent === "payout_method") {
    const distributor = await findDistributorByCustomer(db(), shop.id, "shopify", customerId);
    if (!distributor) return liquid(portalMarkup(await portalView(db(), shop, customerId), proxyPath));
    const notice = await savePortalPayoutMethod(db(), shop.id, distributor.id, customerId, form);
    return liquid(portalMarkup(await portalView(db(), shop, customerId, { notice }), proxyPath));
  }
  const sponsor = referralCodeInput(form.sponsor ?? null);
  if (!sponsor.valid) return liquid(portalMarkup({ kind: "not_enrolled", sponsorCode: null, error: "No affiliate has that code." }, proxyPath));
  return liquid(portalMarkup(await joinFromPortal(db(), shop, customerId, sponsor.code), proxyPath));
};

/** The posted form's fields; a body that is no form (or not one we can read) has none. */
async function formFields(request: Request): Promise<Record<string, unknown>> {
  try {
    return Object.fromEntries(await request.formData());
  } catch {
    return {};
  }
}
