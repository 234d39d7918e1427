import { randomUUID } from "node:crypto";
import { signHmacSha256Base64 } from "~/domain/platforms/signatures";

export const TEST_SHOP = "upline-test.myshopify.com";

export interface ShopifyDeliveryOptions {
  topic?: string;
  shop?: string;
  webhookId?: string;
  secret?: string;
  signature?: string;
}

/** A delivery as Shopify sends it: the raw body, signed with the app secret, and its headers. */
export function shopifyDelivery(rawBody: string, options: ShopifyDeliveryOptions = {}): RequestInit {
  const secret = options.secret ?? process.env.SHOPIFY_API_SECRET!;
  return {
    method: "POST",
    body: rawBody,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": options.topic ?? "orders/paid",
      "X-Shopify-Shop-Domain": options.shop ?? TEST_SHOP,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
      "X-Shopify-Event-Id": randomUUID(),
      "X-Shopify-Triggered-At": new Date().toISOString(),
      "X-Shopify-Hmac-Sha256": options.signature ?? signHmacSha256Base64(rawBody, secret),
    },
  };
}

/** A WooCommerce delivery signed with its connection's secret. */
export function wooCommerceDelivery(rawBody: string, secret: string, topic = "order.updated"): RequestInit {
  return {
    method: "POST",
    body: rawBody,
    headers: {
      "Content-Type": "application/json",
      "X-WC-Webhook-Topic": topic,
      "X-WC-Webhook-Resource": topic.split(".")[0]!,
      "X-WC-Webhook-Event": topic.split(".")[1]!,
      "X-WC-Webhook-Source": "https://woo.example/",
      "X-WC-Webhook-ID": "7",
      "X-WC-Webhook-Delivery-ID": String(Date.now()),
      "X-WC-Webhook-Signature": signHmacSha256Base64(rawBody, secret),
    },
  };
}

export async function waitUntil<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
