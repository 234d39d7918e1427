/**
 * What the storefront app proxy passes us, read strictly. The signature only proves Shopify (or someone with
 * the app secret) sent the query; the values still have to be what Shopify sends: a shop's myshopify.com
 * domain and a numeric customer id. Anything else is a 400 here, not an exception from the Shopify library
 * (it threw on an invalid shop domain) or from PostgreSQL (NUL in an id), both of which answered 500.
 */
import { isStorableText } from "~/domain/input-atoms";

const SHOP_DOMAIN = /^[a-zA-Z0-9][a-zA-Z0-9-_]*\.myshopify\.com$/;
const CUSTOMER_ID = /^[0-9]{1,20}$/;
const MAX_CODE_LENGTH = 64;

const badRequest = (detail: string) => new Response(detail, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/** Throws a 400 Response unless the query's shop and customer id have Shopify's shapes (before authenticating). */
export function assertProxyQuery(url: URL): void {
  if (!SHOP_DOMAIN.test(url.searchParams.get("shop") ?? "")) throw badRequest("The shop parameter is not a myshopify.com domain.");
  const customerId = url.searchParams.get("logged_in_customer_id") ?? "";
  if (customerId !== "" && !CUSTOMER_ID.test(customerId)) throw badRequest("The logged_in_customer_id parameter is not a customer id.");
}

/**
 * A referral code typed or linked by a visitor, or null when there is none. A code that no affiliate could have
 * (too long, or text PostgreSQL cannot hold) is returned as given, with `valid: false`, so the page can say so.
 */
export function referralCodeInput(raw: unknown): { code: string | null; valid: boolean } {
  const code = typeof raw === "string" ? raw.trim() : "";
  if (code === "") return { code: null, valid: true };
  return { code, valid: code.length <= MAX_CODE_LENGTH && isStorableText(code) };
}
