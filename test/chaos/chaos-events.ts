/**
 * The chaos run's traffic: distinct events of the three platforms, each signed as its platform signs it, to be
 * delivered several times over. Orders are the published sample baskets varied by index; Shopify refunds take
 * back part of an order (some are sent before their order); customers sign up with a referral code.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { formatMinor, parseDecimalToMinor } from "~/domain/money";
import { signHmacSha256Base64 } from "~/domain/platforms/signatures";
import { magentoOrderFor, shopifyOrderFor, SPRING_BASKET, wooCommerceOrderFor, type Basket } from "~test/support/platforms/baskets";

export interface ChaosEvent {
  readonly key: string;
  readonly kind: "order" | "refund" | "customer";
  readonly path: string;
  readonly body: string;
  /** Headers of one delivery; a redelivery of the same event sends the same ones (same webhook id). */
  readonly headers: Record<string, string>;
}

export interface ChaosTarget {
  readonly shopDomain: string;
  readonly shopifySecret: string;
  readonly wooPath: string;
  readonly wooSecret: string;
  readonly magentoPath: string;
  readonly magentoSecret: string;
  readonly referralCodes: readonly string[];
}

const fixture = (platform: string, name: string) =>
  JSON.parse(readFileSync(path.resolve("test", "fixtures", platform, name), "utf8")) as Record<string, unknown>;

function shopifyHeaders(body: string, topic: string, webhookId: string, target: ChaosTarget): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": target.shopDomain,
    "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Webhook-Id": webhookId,
    "X-Shopify-Triggered-At": "2026-10-28T12:00:00Z",
    "X-Shopify-Hmac-Sha256": signHmacSha256Base64(body, target.shopifySecret),
  };
}

/** The sample basket with quantities varied by index; every amount stays a whole number of cents. */
function basketFor(index: number, referralCode: string): Basket {
  const day = String(1 + (index % 27)).padStart(2, "0");
  const factor = 1 + (index % 4);
  const scale = (amount: string) => formatMinor(parseDecimalToMinor(amount, SPRING_BASKET.currency) * BigInt(factor), SPRING_BASKET.currency);
  return {
    ...SPRING_BASKET,
    orderedAtUtc: `2026-10-${day}T${String(index % 24).padStart(2, "0")}:00:00Z`,
    referralCode,
    lines: SPRING_BASKET.lines.map((line) => ({ ...line, quantity: line.quantity * factor, discount: scale(line.discount), tax: scale(line.tax) })),
  };
}

const SHOPIFY_ORDER_BASE = 5_300_000_000_000;

export function chaosEvents(target: ChaosTarget, ordersPerPlatform: number, customers: number): ChaosEvent[] {
  const events: ChaosEvent[] = [];
  const code = (i: number) => target.referralCodes[i % target.referralCodes.length]!;
  const refundTemplate = fixture("shopify", "refunds_create.sample.trigger-dev.json");
  const customerTemplate = fixture("shopify", "customers_create.sample.trigger-dev.json");

  for (let i = 0; i < ordersPerPlatform; i++) {
    const orderId = SHOPIFY_ORDER_BASE + i;
    const shopifyOrder = {
      ...shopifyOrderFor(basketFor(i, code(i))),
      id: orderId,
      order_number: orderId,
      name: `#C${i}`,
      admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    };
    const shopifyBody = JSON.stringify(shopifyOrder);
    events.push({
      key: `shopify-order-${i}`,
      kind: "order",
      path: "/ingest/shopify",
      body: shopifyBody,
      headers: shopifyHeaders(shopifyBody, "orders/paid", `chaos-order-${i}`, target),
    });

    if (i % 4 === 0) {
      // One unit of the first line back, with its tax; the refund's delivery may come before the order's.
      const firstLine = (shopifyOrder as unknown as { line_items: ({ id: number } & Record<string, unknown>)[] }).line_items[0]!;
      const money = (amount: string) => ({ shop_money: { amount, currency_code: "USD" }, presentment_money: { amount, currency_code: "USD" } });
      const refundId = 6_300_000_000_000 + i;
      const refundBody = JSON.stringify({
        ...refundTemplate,
        id: refundId,
        order_id: orderId,
        admin_graphql_api_id: `gid://shopify/Refund/${refundId}`,
        created_at: "2026-10-28T12:00:00Z",
        // The refunded line is this order's (the sample embeds its own order's line item, and 199.00 in its `_set`
        // amounts): reconciliation against the platform's refunds reports a refund of another order's line.
        refund_line_items: [
          {
            ...(refundTemplate.refund_line_items as Record<string, unknown>[])[0],
            line_item: firstLine,
            line_item_id: firstLine.id,
            quantity: 1,
            subtotal: "22.50",
            total_tax: "1.80",
            subtotal_set: money("22.50"),
            total_tax_set: money("1.80"),
          },
        ],
      });
      events.push({
        key: `shopify-refund-${i}`,
        kind: "refund",
        path: "/ingest/shopify",
        body: refundBody,
        headers: shopifyHeaders(refundBody, "refunds/create", `chaos-refund-${i}`, target),
      });
    }

    const woo = { ...wooCommerceOrderFor(basketFor(i + 1, code(i + 1))), id: 70_000 + i, number: String(70_000 + i) };
    const wooBody = JSON.stringify(woo);
    events.push({
      key: `woo-order-${i}`,
      kind: "order",
      path: target.wooPath,
      body: wooBody,
      headers: {
        "Content-Type": "application/json",
        "X-WC-Webhook-Topic": "order.updated",
        "X-WC-Webhook-Source": "https://woo.chaos/",
        "X-WC-Webhook-Signature": signHmacSha256Base64(wooBody, target.wooSecret),
      },
    });

    const magentoOrder = { ...magentoOrderFor(basketFor(i + 2, code(i + 2))), entity_id: 30_000 + i, increment_id: `C${30_000 + i}` };
    const eventId = `chaos-order-${30_000 + i}-order.placed`;
    const magentoBody = JSON.stringify({
      event: "order.placed",
      event_id: eventId,
      created_at: "2026-10-28T12:00:00Z",
      store_base_url: "https://magento.chaos/",
      data: magentoOrder,
    });
    events.push({
      key: `magento-order-${i}`,
      kind: "order",
      path: target.magentoPath,
      body: magentoBody,
      headers: {
        "Content-Type": "application/json",
        "X-Upline-Topic": "order.placed",
        "X-Upline-Event-Id": eventId,
        "X-Upline-Signature": signHmacSha256Base64(magentoBody, target.magentoSecret),
      },
    });
  }

  for (let i = 0; i < customers; i++) {
    const id = 9_300_000_000_000 + i;
    const body = JSON.stringify({
      ...customerTemplate,
      id,
      email: `chaos-recruit-${i}@example.com`,
      first_name: `Recruit ${i}`,
      tags: `ref:${code(i)}`,
      created_at: "2026-10-15T12:00:00Z",
      admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    });
    events.push({
      key: `shopify-customer-${i}`,
      kind: "customer",
      path: "/ingest/shopify",
      body,
      headers: shopifyHeaders(body, "customers/create", `chaos-customer-${i}`, target),
    });
  }
  return events;
}

/** A deterministic shuffle (the run prints its seed, so a failure can be replayed). */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
