/**
 * The WooCommerce adapter: topics (`X-WC-Webhook-Topic`), dedupe key, signature and normalization.
 *
 * `refund.created` is not a WooCommerce topic: it is the topic Upline's backfill gives the refunds it fetches
 * from `GET /orders/{id}/refunds`, so they travel through the inbox like any delivery.
 */
import { parsedPayload, sha256Hex, type DeliveryCredentials, type NormalizeOptions, type PlatformAdapter, type TopicClass } from "./adapter";
import { Fields } from "./fields";
import { readHeader, type HeaderSource } from "./headers";
import { NormalizationError, type NormalizedEvent } from "./normalized";
import { verifyHmacSha256Base64, type RawBody } from "./signatures";
import { normalizeWooCommerceCustomer } from "./woocommerce-customer";
import { normalizeWooCommerceOrder } from "./woocommerce-order";
import { normalizeWooCommerceRefund } from "./woocommerce-refund";

export { normalizeWooCommerceCustomer } from "./woocommerce-customer";
export {
  normalizeWooCommerceOrder,
  WOOCOMMERCE_DEFAULT_PAID_STATUSES,
  WOOCOMMERCE_DEFAULT_REFERRAL_KEYS,
  WOOCOMMERCE_PLUGIN_REFERRAL_KEYS,
} from "./woocommerce-order";
export {
  extractWooCommerceRefundSummaries,
  normalizeWooCommerceRefund,
  type WooCommerceRefundSummaries,
  type WooCommerceRefundSummary,
} from "./woocommerce-refund";

const TOPIC_CLASSES: Readonly<Record<string, TopicClass>> = {
  "order.created": "order",
  "order.updated": "order",
  "order.restored": "order",
  "refund.created": "refund",
  "customer.created": "customer",
  "customer.updated": "customer",
  "product.created": "product",
  "product.updated": "product",
  "product.deleted": "product",
  "product.restored": "product",
  // order.deleted (trash) sends only {"id"}; the backfill sees the trashed status. coupon.* and action.*
  // topics carry nothing we normalize.
};

export function classifyTopic(topic: string): TopicClass {
  return TOPIC_CLASSES[topic.trim().toLowerCase()] ?? "ignored";
}

export function topicOf(headers: HeaderSource): string | null {
  return readHeader(headers, "x-wc-webhook-topic");
}

/**
 * X-WC-Webhook-Delivery-ID hashes the webhook id with the current second, so it is not unique. A resource
 * version is: (id, topic, date_modified_gmt). Bodies without that (deleted resources, action topics) are
 * keyed by their content.
 */
export function eventKey(headers: HeaderSource, rawBody: RawBody): string {
  const topic = topicOf(headers);
  if (topic === null) throw new NormalizationError("headers.x-wc-webhook-topic", "is required");
  const version = resourceVersion(rawBody);
  return version ? `${version.id}:${topic}:${version.modifiedAt}` : `${topic}:sha256:${sha256Hex(rawBody)}`;
}

function resourceVersion(rawBody: RawBody): { id: string; modifiedAt: string } | null {
  try {
    const resource = Fields.of(parsedPayload(rawBody));
    const id = resource.optionalId("id");
    const modifiedAt = resource.optionalString("date_modified_gmt");
    return id !== null && modifiedAt !== null ? { id, modifiedAt } : null;
  } catch {
    // Unreadable here means unreadable in the worker too; the content key still stores it once.
    return null;
  }
}

export function verifyDelivery(headers: HeaderSource, rawBody: RawBody, credentials: DeliveryCredentials): boolean {
  return verifyHmacSha256Base64(rawBody, credentials.secrets ?? [], readHeader(headers, "x-wc-webhook-signature"));
}

/** The unsigned `webhook_id=N` form body WooCommerce posts when a webhook is saved; it must get exactly 200. */
export function isWooCommercePing(rawBody: RawBody): boolean {
  const text = typeof rawBody === "string" ? rawBody : Buffer.from(rawBody).toString("utf8");
  return /^webhook_id=\d+$/.test(text.trim());
}

export function normalize(topic: string, body: unknown, options: NormalizeOptions = {}): NormalizedEvent | null {
  switch (classifyTopic(topic)) {
    case "order":
      return normalizeWooCommerceOrder(body, options);
    case "refund":
      return normalizeWooCommerceRefund(body, options);
    case "customer":
      return normalizeWooCommerceCustomer(body, options);
    default:
      return null;
  }
}

export const wooCommerceAdapter: PlatformAdapter = {
  platform: "woocommerce",
  topicOf,
  classifyTopic,
  eventKey,
  verifyDelivery,
  normalize,
};
