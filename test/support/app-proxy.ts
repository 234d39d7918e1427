import { createHmac } from "node:crypto";

/**
 * A storefront request as Shopify's app proxy forwards it to us: the proxy adds shop, path_prefix, timestamp
 * and (when a customer is signed in) logged_in_customer_id, and signs them with the app's secret — sorted
 * `key=value` pairs concatenated without a separator, HMAC-SHA256 in hex, as Shopify documents.
 */
export function appProxyUrl(
  appUrl: string,
  path: string,
  params: { shop: string; customerId?: string | null; pathPrefix?: string },
  secret = process.env.SHOPIFY_API_SECRET ?? "",
): string {
  const fields: Record<string, string> = {
    shop: params.shop,
    path_prefix: params.pathPrefix ?? "/apps/upline",
    timestamp: String(Math.floor(Date.now() / 1000)),
    logged_in_customer_id: params.customerId ?? "",
  };
  const message = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join("");
  const url = new URL(path, appUrl);
  for (const [key, value] of Object.entries(fields)) url.searchParams.set(key, value);
  url.searchParams.set("signature", createHmac("sha256", secret).update(message).digest("hex"));
  return url.toString();
}
