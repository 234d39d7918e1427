/**
 * The Shopify adapter: topics, dedupe key, signature and normalization of webhook deliveries.
 * Topics arrive as `orders/paid` (header) or `ORDERS_PAID` (authenticate.webhook); both are understood.
 */
import { type DeliveryCredentials, type NormalizeOptions, type PlatformAdapter, type TopicClass } from "./adapter";
import { readHeader, type HeaderSource } from "./headers";
import { NormalizationError, type NormalizedEvent } from "./normalized";
import { normalizeShopifyCustomer } from "./shopify-customer";
import { normalizeShopifyOrder } from "./shopify-order";
import { normalizeShopifyRefund } from "./shopify-refund";
import { verifyHmacSha256Base64, type RawBody } from "./signatures";

export { normalizeShopifyCustomer } from "./shopify-customer";
export { normalizeShopifyOrder, SHOPIFY_DEFAULT_REFERRAL_KEYS } from "./shopify-order";
export { normalizeShopifyRefund } from "./shopify-refund";

const TOPIC_CLASSES: Readonly<Record<string, TopicClass>> = {
  orders_create: "order",
  orders_paid: "order",
  orders_updated: "order",
  orders_cancelled: "order",
  orders_fulfilled: "order",
  orders_partially_fulfilled: "order",
  refunds_create: "refund",
  customers_create: "customer",
  customers_update: "customer",
  products_create: "product",
  products_update: "product",
  products_delete: "product",
  app_uninstalled: "app",
  app_scopes_update: "app",
  // The Shop resource: its `currency` is the shop's (app/services/shop-currency.server.ts).
  shop_update: "app",
  customers_data_request: "compliance",
  customers_redact: "compliance",
  shop_redact: "compliance",
  // orders/edited carries an order_edit, not an order, and orders/delete only an id: the orders/updated that
  // follows an edit, and reconciliation, carry what matters.
};

/** "orders/paid" and "ORDERS_PAID" → "orders_paid". */
function topicKey(topic: string): string {
  return topic.trim().toLowerCase().replaceAll("/", "_");
}

export function classifyTopic(topic: string): TopicClass {
  return TOPIC_CLASSES[topicKey(topic)] ?? "ignored";
}

/** Newer "Events" deliveries drop the `x-` prefix (`shopify-webhook-id`). */
function shopifyHeader(headers: HeaderSource, name: string): string | null {
  return readHeader(headers, `x-shopify-${name}`) ?? readHeader(headers, `shopify-${name}`);
}

export function topicOf(headers: HeaderSource): string | null {
  return shopifyHeader(headers, "topic");
}

/**
 * X-Shopify-Webhook-Id identifies one delivery and repeats on its retries. X-Shopify-Event-Id is shared by
 * every topic one merchant action triggers, so it would merge orders/paid with orders/updated.
 */
export function eventKey(headers: HeaderSource): string {
  const webhookId = shopifyHeader(headers, "webhook-id");
  if (webhookId === null) throw new NormalizationError("headers.x-shopify-webhook-id", "is required");
  return webhookId;
}

export function verifyDelivery(headers: HeaderSource, rawBody: RawBody, credentials: DeliveryCredentials): boolean {
  return verifyHmacSha256Base64(rawBody, credentials.secrets ?? [], shopifyHeader(headers, "hmac-sha256"));
}

export function normalize(topic: string, body: unknown, options: NormalizeOptions = {}): NormalizedEvent | null {
  switch (classifyTopic(topic)) {
    case "order":
      return normalizeShopifyOrder(body, options);
    case "refund":
      return normalizeShopifyRefund(body, options);
    case "customer":
      return normalizeShopifyCustomer(body, options);
    default:
      return null;
  }
}

export const shopifyAdapter: PlatformAdapter = {
  platform: "shopify",
  topicOf,
  classifyTopic,
  eventKey,
  verifyDelivery,
  normalize,
};
