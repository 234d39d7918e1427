/**
 * Where the portal lives on the storefront. Shopify's app proxy sends it as `path_prefix` (signed with the rest
 * of the query): the merchant may change the proxy's prefix and subpath ("/apps/upline" by default,
 * "/community/affiliates", "/a/partners", ...), so links the portal renders use what Shopify sent, never a
 * constant. A value that is not a proxy path (it is signed, but a bug must not become a link elsewhere) falls
 * back to the default from shopify.app.toml.
 */
export const DEFAULT_PROXY_PATH = "/apps/upline";

// Shopify's proxy prefixes ("apps", "a", "community", "tools") and one subpath segment.
const PROXY_PATH = /^\/(apps|a|community|tools)\/[A-Za-z0-9_-]{1,64}$/;

export function portalPathPrefix(raw: string | null): string {
  const path = raw?.replace(/\/+$/, "") ?? "";
  return PROXY_PATH.test(path) ? path : DEFAULT_PROXY_PATH;
}
