import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { signHmacSha256Base64 } from "~/domain/platforms/signatures";
import { formatMinor, parseDecimalToMinor } from "~/domain/money";
import { magentoOrderFor, shopifyOrderFor, SPRING_BASKET, wooCommerceOrderFor, type Basket } from "~test/support/platforms/baskets";

/**
 * The demo's traffic: real published payloads of the three platforms (test/fixtures), varied into a few
 * dozen orders, signed exactly as each platform signs, plus the awkward cases a live store produces:
 * redeliveries, a burst of concurrent duplicates, a refund, a customer sign-up, a compliance request, a ping.
 */

export interface Delivery {
  label: string;
  path: string;
  init: RequestInit;
  /** How many times to send it, concurrently: Shopify and Adobe retry, and networks duplicate. */
  copies: number;
}

export interface DemoTarget {
  shopDomain: string;
  shopifySecret: string;
  wooPath: string;
  wooSecret: string;
  magentoPath: string;
  magentoSecret: string;
  referralCodes: readonly string[];
}

const fixture = (platform: string, name: string) => readFileSync(path.resolve("test", "fixtures", platform, name), "utf8");

function shopifyInit(body: string, topic: string, target: DemoTarget, webhookId = randomUUID()): RequestInit {
  return {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": target.shopDomain,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Triggered-At": new Date().toISOString(),
      "X-Shopify-Hmac-Sha256": signHmacSha256Base64(body, target.shopifySecret),
    },
  };
}

/** A basket per order: the published sample's products, quantities and a referral code varying by index. */
function basketFor(index: number, referralCode: string): Basket {
  const day = String(1 + (index % 27)).padStart(2, "0");
  return {
    ...SPRING_BASKET,
    orderedAtUtc: `2026-10-${day}T1${index % 10}:00:00Z`,
    referralCode,
    lines: SPRING_BASKET.lines.map((line, lineIndex) => ({ ...line, quantity: line.quantity * (1 + ((index + lineIndex) % 3)) })).map((line) => ({
      ...line,
      discount: scale(line.discount, line.quantity, SPRING_BASKET.lines.find((l) => l.sku === line.sku)!.quantity),
      tax: scale(line.tax, line.quantity, SPRING_BASKET.lines.find((l) => l.sku === line.sku)!.quantity),
    })),
  };
}

/** Scales a decimal amount by a ratio of quantities, in minor units; the sample's amounts divide exactly. */
function scale(amount: string, quantity: number, baseQuantity: number): string {
  const minor = parseDecimalToMinor(amount, SPRING_BASKET.currency) * BigInt(quantity);
  if (minor % BigInt(baseQuantity) !== 0n) throw new Error(`${amount} × ${quantity}/${baseQuantity} is not a whole number of cents`);
  return formatMinor(minor / BigInt(baseQuantity), SPRING_BASKET.currency);
}

function withIds(order: Record<string, unknown>, id: number, name: string): Record<string, unknown> {
  return { ...order, id, order_number: id, name, admin_graphql_api_id: `gid://shopify/Order/${id}` };
}

export function sampleDeliveries(target: DemoTarget, ordersPerPlatform: number): Delivery[] {
  const deliveries: Delivery[] = [];
  const code = (i: number) => target.referralCodes[i % target.referralCodes.length]!;

  for (let i = 0; i < ordersPerPlatform; i++) {
    const basket = basketFor(i, code(i));
    const shopifyBody = JSON.stringify(withIds(shopifyOrderFor(basket), 5_100_000_000_000 + i, `#${1001 + i}`));
    // Every fifth Shopify delivery is retried three times with the same webhook id, as Shopify does after a timeout.
    deliveries.push({ label: `shopify orders/paid #${1001 + i}`, path: "/ingest/shopify", init: shopifyInit(shopifyBody, "orders/paid", target), copies: i % 5 === 0 ? 3 : 1 });

    const woo = { ...wooCommerceOrderFor(basketFor(i + 1, code(i + 1))), id: 7_000 + i, number: String(7_000 + i) };
    const wooBody = JSON.stringify(woo);
    deliveries.push({
      label: `woocommerce order.updated #${7_000 + i}`,
      path: target.wooPath,
      init: { method: "POST", body: wooBody, headers: { "Content-Type": "application/json", "X-WC-Webhook-Topic": "order.updated", "X-WC-Webhook-Source": "https://woo.demo/", "X-WC-Webhook-Signature": signHmacSha256Base64(wooBody, target.wooSecret) } },
      copies: 1,
    });

    const magentoOrder = { ...magentoOrderFor(basketFor(i + 2, code(i + 2))), entity_id: 300 + i, increment_id: `00000${300 + i}` };
    const magentoBody = JSON.stringify({ event: "order.placed", event_id: `order-${300 + i}-order.placed`, created_at: new Date().toISOString(), store_base_url: "https://magento.demo/", data: magentoOrder });
    deliveries.push({
      label: `magento order.placed #${300 + i}`,
      path: target.magentoPath,
      init: { method: "POST", body: magentoBody, headers: { "Content-Type": "application/json", "X-Upline-Topic": "order.placed", "X-Upline-Event-Id": `order-${300 + i}-order.placed`, "X-Upline-Signature": signHmacSha256Base64(magentoBody, target.magentoSecret) } },
      copies: 1,
    });
  }

  // A burst: one order delivered 20 times at once. It must be stored once and paid once.
  const burstBody = JSON.stringify(withIds(shopifyOrderFor(basketFor(99, code(99))), 5_199_999_999_999, "#1999"));
  deliveries.push({ label: "shopify orders/paid #1999 ×20 concurrently", path: "/ingest/shopify", init: shopifyInit(burstBody, "orders/paid", target), copies: 20 });

  // A refund of the first Shopify order's first line (Shopify's published refunds/create sample, pointed at it).
  const refund = JSON.parse(fixture("shopify", "refunds_create.sample.trigger-dev.json")) as Record<string, unknown>;
  const firstOrder = JSON.parse(JSON.stringify(withIds(shopifyOrderFor(basketFor(0, code(0))), 5_100_000_000_000, "#1001"))) as { line_items: { id: number }[] };
  const refundBody = JSON.stringify({
    ...refund,
    id: 6_100_000_000_001,
    order_id: 5_100_000_000_000,
    admin_graphql_api_id: "gid://shopify/Refund/6100000000001",
    created_at: "2026-10-28T12:00:00Z",
    refund_line_items: [{ ...(refund.refund_line_items as Record<string, unknown>[])[0], line_item_id: firstOrder.line_items[0]!.id, quantity: 1, subtotal: "22.50", total_tax: "1.80" }],
  });
  deliveries.push({ label: "shopify refunds/create (one shake of #1001)", path: "/ingest/shopify", init: shopifyInit(refundBody, "refunds/create", target), copies: 2 });

  // Sign-ups: Shopify's published customer, and two more who came through referral links (the theme extension
  // tags them ref:CODE), each enrolled under that sponsor; the published one has no code and joins the company.
  const customer = JSON.parse(fixture("shopify", "customers_create.sample.trigger-dev.json")) as Record<string, unknown>;
  deliveries.push({ label: "shopify customers/create", path: "/ingest/shopify", init: shopifyInit(JSON.stringify(customer), "customers/create", target), copies: 1 });
  for (const [index, sponsor] of target.referralCodes.slice(0, 2).entries()) {
    const id = 7_700_000_000_000 + index;
    const referred = { ...customer, id, email: `recruit${index + 1}@example.com`, first_name: `Recruit ${index + 1}`, tags: `ref:${sponsor}`, admin_graphql_api_id: `gid://shopify/Customer/${id}` };
    deliveries.push({ label: `shopify customers/create (referred by ${sponsor})`, path: "/ingest/shopify", init: shopifyInit(JSON.stringify(referred), "customers/create", target), copies: 1 });
  }
  deliveries.push({ label: "shopify customers/data_request (compliance)", path: "/ingest/shopify", init: shopifyInit(fixture("shopify", "customers_data_request.shopify-dev.json"), "customers/data_request", target), copies: 1 });
  deliveries.push({ label: "woocommerce creation ping", path: target.wooPath, init: { method: "POST", body: "webhook_id=42", headers: { "Content-Type": "application/x-www-form-urlencoded" } }, copies: 1 });
  return deliveries;
}
