/**
 * What every platform adapter offers the ingest route and the worker. Shopify, WooCommerce and Magento differ
 * only behind this interface; after `normalize` they share one path (DESIGN §1).
 */
import { createHash } from "node:crypto";
import type { HeaderSource } from "./headers";
import { JsonParseError, parseJsonLossless } from "./json";
import { NormalizationError, type NormalizedEvent, type Platform } from "./normalized";
import type { RawBody } from "./signatures";

/** What a delivery is about. Only order, refund and customer deliveries normalize to an event. */
export type TopicClass = "order" | "refund" | "customer" | "product" | "app" | "compliance" | "ignored";

export interface DeliveryCredentials {
  /** HMAC secrets, current first; an old one stays listed while a rotation settles. */
  readonly secrets?: readonly string[];
  /** PEM public keys for Adobe I/O Events signatures. */
  readonly publicKeysPem?: readonly string[];
}

/** Per-connection settings and facts a payload does not carry itself. Each adapter reads what it needs. */
export interface NormalizeOptions {
  /** Cart attribute / order meta / extension attribute keys holding a referral code, most trusted first. */
  readonly referralKeys?: readonly string[];
  /** The delivery's time, used only when a payload has no timestamp of its own (CLI sample deliveries). */
  readonly deliveredAt?: string;
  /** The order's currency, for refund payloads that do not state one (WooCommerce, some Shopify samples). */
  readonly currency?: string;
  /** The refunded order's id, for refund payloads that do not state it (WooCommerce single refund). */
  readonly orderId?: string;
  /** Shopify refunds: whether the order's prices included tax (the refund payload does not say). */
  readonly taxesIncluded?: boolean;
  /** WooCommerce: order statuses that mean paid (stores add custom ones). */
  readonly paidStatuses?: readonly string[];
  /** Magento credit memos: the order's top-level item ids, so bundle/configurable children are dropped. */
  readonly orderLineIds?: readonly string[];
}

export interface PlatformAdapter {
  readonly platform: Platform;
  /** The topic named by the delivery (header, or the envelope for Adobe I/O), or null when there is none. */
  topicOf(headers: HeaderSource, body: unknown): string | null;
  classifyTopic(topic: string): TopicClass;
  /** The inbox's dedupe key: equal for redeliveries of one event, different for different events. */
  eventKey(headers: HeaderSource, rawBody: RawBody): string;
  verifyDelivery(headers: HeaderSource, rawBody: RawBody, credentials: DeliveryCredentials): boolean;
  /** The normalized event, or null for topics that are only recorded (products, app, compliance, ignored). */
  normalize(topic: string, body: unknown, options?: NormalizeOptions): NormalizedEvent | null;
}

/** A body given as text or bytes is parsed here, losslessly, so no caller can corrupt ids with JSON.parse. */
export function parsedPayload(body: unknown): unknown {
  if (typeof body !== "string" && !(body instanceof Uint8Array)) return body;
  try {
    return parseJsonLossless(body);
  } catch (error) {
    if (error instanceof JsonParseError) throw new NormalizationError("(body)", error.message);
    throw error;
  }
}

export function sha256Hex(rawBody: RawBody): string {
  return createHash("sha256").update(rawBody).digest("hex");
}
