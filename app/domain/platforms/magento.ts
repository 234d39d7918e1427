/**
 * The Magento / Adobe Commerce adapter. Topics are Magento event names, in whichever spelling the channel
 * uses: `com.adobe.commerce.observer.sales_order_save_after` (Adobe I/O `type`),
 * `observer.sales_order_save_after` (Commerce webhooks `eventName`) or `sales_order_save_after` (our
 * module's `X-Upline-Topic` header).
 *
 * Our module names its events `order.placed`, `order.invoiced` and `creditmemo.created` (`X-Upline-Topic`).
 *
 * Signatures: Adobe I/O deliveries carry `x-adobe-digital-signature-1/2` (RSA, checked against the
 * configured public keys); our Magento module signs with the connection's HMAC secret in
 * `X-Upline-Signature` (base64 HMAC-SHA256 of the raw body).
 */
import { parsedPayload, sha256Hex, type DeliveryCredentials, type NormalizeOptions, type PlatformAdapter, type TopicClass } from "./adapter";
import { Fields, isJsonObject } from "./fields";
import { readHeader, type HeaderSource } from "./headers";
import { normalizeMagentoCreditMemo } from "./magento-creditmemo";
import { normalizeMagentoCustomer } from "./magento-customer";
import { normalizeMagentoOrder } from "./magento-order";
import type { NormalizedEvent } from "./normalized";
import { verifyAdobeIoSignatures, verifyHmacSha256Base64, type RawBody } from "./signatures";

export { normalizeMagentoCreditMemo } from "./magento-creditmemo";
export { normalizeMagentoCustomer } from "./magento-customer";
export { MAGENTO_DEFAULT_REFERRAL_KEYS } from "./magento-entity";
export { normalizeMagentoOrder } from "./magento-order";

const TOPIC_CLASSES: Readonly<Record<string, TopicClass>> = {
  sales_order_save_after: "order",
  sales_order_save_commit_after: "order",
  sales_order_place_after: "order",
  sales_order_creditmemo_save_after: "refund",
  sales_order_creditmemo_save_commit_after: "refund",
  customer_save_after: "customer",
  customer_save_commit_after: "customer",
  customer_register_success: "customer",
  catalog_product_save_after: "product",
  catalog_product_save_commit_after: "product",
  catalog_product_delete_after: "product",
  "order.placed": "order",
  "order.invoiced": "order",
  "creditmemo.created": "refund",
};

/** "com.adobe.commerce.observer.sales_order_save_after" → "sales_order_save_after". */
function eventName(topic: string): string {
  return topic
    .trim()
    .toLowerCase()
    .replace(/^com\.adobe\.commerce\./, "")
    .replace(/^(observer|plugin)\./, "");
}

export function classifyTopic(topic: string): TopicClass {
  return TOPIC_CLASSES[eventName(topic)] ?? "ignored";
}

export function topicOf(headers: HeaderSource, body: unknown): string | null {
  const header = readHeader(headers, "x-upline-topic");
  if (header !== null) return header;
  const payload = isJsonObject(body) ? body : null;
  const named = payload?.["type"] ?? payload?.["eventName"];
  return typeof named === "string" && named.trim() !== "" ? named.trim() : null;
}

/**
 * Adobe I/O retries redeliver the same `event_id`. Deliveries without one (our module, Commerce webhooks)
 * are keyed by the body's SHA-256: a retry sends the same bytes, and a new save sends a new `updated_at`.
 */
export function eventKey(_headers: HeaderSource, rawBody: RawBody): string {
  const eventId = adobeEventId(rawBody);
  return eventId === null ? `sha256:${sha256Hex(rawBody)}` : `event:${eventId}`;
}

function adobeEventId(rawBody: RawBody): string | null {
  try {
    const envelope = Fields.of(parsedPayload(rawBody));
    return envelope.optionalString("event_id") ?? envelope.optionalString("eventid");
  } catch {
    return null;
  }
}

export function verifyDelivery(headers: HeaderSource, rawBody: RawBody, credentials: DeliveryCredentials): boolean {
  const adobeSignatures = [1, 2].map((n) => readHeader(headers, `x-adobe-digital-signature-${n}`));
  if (adobeSignatures.some((signature) => signature !== null)) {
    return verifyAdobeIoSignatures(rawBody, adobeSignatures, credentials.publicKeysPem ?? []);
  }
  const signature = readHeader(headers, "x-upline-signature") ?? readHeader(headers, "x-upline-hmac-sha256");
  return verifyHmacSha256Base64(rawBody, credentials.secrets ?? [], signature);
}

export function normalize(topic: string, body: unknown, options: NormalizeOptions = {}): NormalizedEvent | null {
  switch (classifyTopic(topic)) {
    case "order":
      return normalizeMagentoOrder(body, options);
    case "refund":
      return normalizeMagentoCreditMemo(body, options);
    case "customer":
      return normalizeMagentoCustomer(body, options);
    default:
      return null;
  }
}

export const magentoAdapter: PlatformAdapter = {
  platform: "magento",
  topicOf,
  classifyTopic,
  eventKey,
  verifyDelivery,
  normalize,
};
