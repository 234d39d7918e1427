import { readHeader, type HeaderSource } from "./headers";
import { verifyHmacSha256Base64, type RawBody } from "./signatures";

/**
 * The checks Shopify's own `webhooks.validate` makes on a delivery (HMAC of the raw body with the app secret,
 * and the headers every delivery carries), without the offline-session database read `authenticate.webhook`
 * adds after them. That read, and the library's header canonicalization, were about a third of the ingest
 * route's CPU; the ingest needs neither (the worker does the processing). shopify-delivery.test.ts holds this
 * function to the library's verdicts.
 */

const REQUIRED_HEADERS = ["hmac-sha256", "topic", "shop-domain", "api-version", "webhook-id"] as const;

export type ShopifyDeliveryCheck =
  | { ok: true; shop: string; topic: string; webhookId: string; apiVersion: string; triggeredAt: string | null }
  | { ok: false; reason: "invalid_hmac" }
  | { ok: false; reason: "missing_headers"; missing: string[] };

/** Newer "Events" deliveries drop the `x-` prefix (`shopify-webhook-id`). */
function shopifyHeader(headers: HeaderSource, name: string): string | null {
  return readHeader(headers, `x-shopify-${name}`) ?? readHeader(headers, `shopify-${name}`);
}

export function checkShopifyDelivery(headers: HeaderSource, rawBody: RawBody, secrets: readonly string[]): ShopifyDeliveryCheck {
  const missing = REQUIRED_HEADERS.filter((name) => shopifyHeader(headers, name) === null).map((name) => `X-Shopify-${name}`);
  if (missing.length > 0) return { ok: false, reason: "missing_headers", missing };
  if (!verifyHmacSha256Base64(rawBody, secrets, shopifyHeader(headers, "hmac-sha256"))) return { ok: false, reason: "invalid_hmac" };
  return {
    ok: true,
    shop: shopifyHeader(headers, "shop-domain")!,
    topic: shopifyHeader(headers, "topic")!,
    webhookId: shopifyHeader(headers, "webhook-id")!,
    apiVersion: shopifyHeader(headers, "api-version")!,
    triggeredAt: shopifyHeader(headers, "triggered-at"),
  };
}
