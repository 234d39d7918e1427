import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { signHmacSha256Base64 } from "~/domain/platforms/signatures";

/**
 * The demo's traffic: real published payloads of the three platforms, shaped into one basket in three sizes
 * (scripts/demo/samples, the demo's own copy: tests keep theirs under test/fixtures), varied into a few dozen
 * orders, signed exactly as each platform signs, plus the awkward cases a live store produces: redeliveries, a
 * burst of concurrent duplicates, a refund, a customer sign-up, a compliance request, a ping.
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

type Json = Record<string, unknown>;

const sample = (name: string) => readFileSync(new URL(`samples/${name}`, import.meta.url), "utf8");
const sampleJson = <T = Json>(name: string) => JSON.parse(sample(name)) as T;

/** The basket in three sizes (each line's quantity × 1, 2 or 3, amounts scaled to match), per platform. */
const ORDERS = {
  shopify: sampleJson<Json[]>("shopify-orders.json"),
  woocommerce: sampleJson<Json[]>("woocommerce-orders.json"),
  magento: sampleJson<Json[]>("magento-orders.json"),
};

function shopifyInit(body: string, topic: string, target: Pick<DemoTarget, "shopDomain" | "shopifySecret">, webhookId = randomUUID()): RequestInit {
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

/** Order `index` of a platform: one of the three sizes, a day in October 2026, the referrer's code. */
function orderFor(platform: keyof typeof ORDERS, index: number, referralCode: string): Json {
  const order = structuredClone(ORDERS[platform][index % 3]!);
  const utc = `2026-10-${String(1 + (index % 27)).padStart(2, "0")}T1${index % 10}:00:00`;
  if (platform === "shopify") {
    // Shopify writes shop-local times; the shop is at UTC-5.
    const local = `${new Date(Date.parse(`${utc}Z`) - 5 * 3_600_000).toISOString().slice(0, 19)}-05:00`;
    return { ...order, created_at: local, updated_at: local, processed_at: local, note_attributes: [{ name: "upline_ref", value: referralCode }] };
  }
  if (platform === "woocommerce") {
    const meta = (order["meta_data"] as Json[]).map((entry) => (entry["key"] === "_upline_ref" ? { ...entry, value: referralCode } : entry));
    return { ...order, date_created_gmt: utc, date_modified_gmt: utc, date_paid_gmt: utc, meta_data: meta };
  }
  const magentoTime = utc.replace("T", " ");
  return {
    ...order,
    created_at: magentoTime,
    updated_at: magentoTime,
    extension_attributes: { ...(order["extension_attributes"] as Json), upline_ref: referralCode },
  };
}

function withIds(order: Json, id: number, name: string): Json {
  return { ...order, id, order_number: id, name, admin_graphql_api_id: `gid://shopify/Order/${id}` };
}

export function sampleDeliveries(target: DemoTarget, ordersPerPlatform: number): Delivery[] {
  const deliveries: Delivery[] = [];
  const code = (i: number) => target.referralCodes[i % target.referralCodes.length]!;

  for (let i = 0; i < ordersPerPlatform; i++) {
    const shopifyBody = JSON.stringify(withIds(orderFor("shopify", i, code(i)), 5_100_000_000_000 + i, `#${1001 + i}`));
    // Every fifth Shopify delivery is retried three times with the same webhook id, as Shopify does after a timeout.
    deliveries.push({
      label: `shopify orders/paid #${1001 + i}`,
      path: "/ingest/shopify",
      init: shopifyInit(shopifyBody, "orders/paid", target),
      copies: i % 5 === 0 ? 3 : 1,
    });

    const woo = { ...orderFor("woocommerce", i + 1, code(i + 1)), id: 7_000 + i, number: String(7_000 + i) };
    const wooBody = JSON.stringify(woo);
    deliveries.push({
      label: `woocommerce order.updated #${7_000 + i}`,
      path: target.wooPath,
      init: {
        method: "POST",
        body: wooBody,
        headers: {
          "Content-Type": "application/json",
          "X-WC-Webhook-Topic": "order.updated",
          "X-WC-Webhook-Source": "https://woo.demo/",
          "X-WC-Webhook-Signature": signHmacSha256Base64(wooBody, target.wooSecret),
        },
      },
      copies: 1,
    });

    const magentoOrder = { ...orderFor("magento", i + 2, code(i + 2)), entity_id: 300 + i, increment_id: `00000${300 + i}` };
    const magentoBody = JSON.stringify({
      event: "order.placed",
      event_id: `order-${300 + i}-order.placed`,
      created_at: new Date().toISOString(),
      store_base_url: "https://magento.demo/",
      data: magentoOrder,
    });
    deliveries.push({
      label: `magento order.placed #${300 + i}`,
      path: target.magentoPath,
      init: {
        method: "POST",
        body: magentoBody,
        headers: {
          "Content-Type": "application/json",
          "X-Upline-Topic": "order.placed",
          "X-Upline-Event-Id": `order-${300 + i}-order.placed`,
          "X-Upline-Signature": signHmacSha256Base64(magentoBody, target.magentoSecret),
        },
      },
      copies: 1,
    });
  }

  // A burst: one order delivered 20 times at once. It must be stored once and paid once.
  const burstBody = JSON.stringify(withIds(orderFor("shopify", 99, code(99)), 5_199_999_999_999, "#1999"));
  deliveries.push({
    label: "shopify orders/paid #1999 ×20 concurrently",
    path: "/ingest/shopify",
    init: shopifyInit(burstBody, "orders/paid", target),
    copies: 20,
  });

  // A refund of one shake of the first Shopify order (Shopify's published refunds/create sample, pointed at it).
  deliveries.push({
    label: "shopify refunds/create (one shake of #1001)",
    path: "/ingest/shopify",
    init: shopifyInit(JSON.stringify(shakeRefund(6_100_000_000_001, 5_100_000_000_000)), "refunds/create", target),
    copies: 2,
  });

  // Sign-ups: Shopify's published customer, and two more who came through referral links (the theme extension
  // tags them ref:CODE), each enrolled under that sponsor; the published one has no code and joins the company.
  const customer = sampleJson("shopify-customer.json");
  deliveries.push({
    label: "shopify customers/create",
    path: "/ingest/shopify",
    init: shopifyInit(JSON.stringify(customer), "customers/create", target),
    copies: 1,
  });
  for (const [index, sponsor] of target.referralCodes.slice(0, 2).entries()) {
    const id = 7_700_000_000_000 + index;
    const referred = {
      ...customer,
      id,
      email: `recruit${index + 1}@example.com`,
      first_name: `Recruit ${index + 1}`,
      tags: `ref:${sponsor}`,
      admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    };
    deliveries.push({
      label: `shopify customers/create (referred by ${sponsor})`,
      path: "/ingest/shopify",
      init: shopifyInit(JSON.stringify(referred), "customers/create", target),
      copies: 1,
    });
  }
  // Shopify's published sample names the shop "{shop}.myshopify.com"; a real request names the shop it is sent
  // for, and Upline refuses one whose body names another shop than its header (a replayed body).
  const dataRequest = { ...sampleJson<Record<string, unknown>>("shopify-data-request.json"), shop_domain: target.shopDomain };
  deliveries.push({
    label: "shopify customers/data_request (compliance)",
    path: "/ingest/shopify",
    init: shopifyInit(JSON.stringify(dataRequest), "customers/data_request", target),
    copies: 1,
  });
  deliveries.push({
    label: "woocommerce creation ping",
    path: target.wooPath,
    init: { method: "POST", body: "webhook_id=42", headers: { "Content-Type": "application/x-www-form-urlencoded" } },
    copies: 1,
  });
  return deliveries;
}

/**
 * Shopify's published refunds/create sample refunding one shake (22.50 + 1.80 tax) of the first basket. The
 * sample's refunded line is its own order's: the line item it embeds, and the `_set` twins of its amounts (199.00,
 * more than the whole basket), are replaced too. Before, the refund named a line the order does not have and
 * reversed nothing, while claiming 199.00 back; reconciliation against the platform's refunds now reports that.
 */
function shakeRefund(refundId: number, orderId: number): Json {
  const refund = sampleJson("shopify-refund.json");
  const firstOrder = ORDERS.shopify[0] as { line_items: Json[] };
  const money = (amount: string) => ({ shop_money: { amount, currency_code: "USD" }, presentment_money: { amount, currency_code: "USD" } });
  return {
    ...refund,
    id: refundId,
    order_id: orderId,
    admin_graphql_api_id: `gid://shopify/Refund/${refundId}`,
    created_at: "2026-10-28T12:00:00Z",
    refund_line_items: [
      {
        ...(refund.refund_line_items as Json[])[0],
        // The refunded line is the order's own (the sample's embedded line item is another order's).
        line_item: firstOrder.line_items[0],
        line_item_id: firstOrder.line_items[0]!["id"],
        quantity: 1,
        subtotal: 22.5,
        total_tax: 1.8,
        subtotal_set: money("22.50"),
        total_tax_set: money("1.80"),
      },
    ],
    transactions: [{ id: refundId + 1, order_id: orderId, kind: "refund", gateway: "bogus", status: "success", amount: "24.30", currency: "USD" }],
  };
}

/** The second, European shop: Shopify only, in euros. */
export interface EuroTarget {
  shopDomain: string;
  shopifySecret: string;
  referralCodes: readonly string[];
}

/** Shopify's shop/update for the European shop: what sets its currency (EUR, from Shopify's shop data). */
export function euroShopUpdate(target: EuroTarget): Delivery {
  const body = JSON.stringify({ ...sampleJson("shopify-shop-eur.json"), domain: target.shopDomain, myshopify_domain: target.shopDomain });
  return { label: "shopify shop/update (EUR)", path: "/ingest/shopify", init: shopifyInit(body, "shop/update", target), copies: 1 };
}

/** The European shop's traffic: the Shopify basket in euros, `count` orders, and a refund of the first one's shake. */
export function euroDeliveries(target: EuroTarget, count: number): Delivery[] {
  const code = (i: number) => target.referralCodes[i % target.referralCodes.length]!;
  const inEuros = (json: Json) => JSON.stringify(json).replaceAll('"USD"', '"EUR"');
  const deliveries: Delivery[] = [];
  for (let i = 0; i < count; i++) {
    const body = inEuros(withIds(orderFor("shopify", i, code(i)), 5_300_000_000_000 + i, `#EU${1001 + i}`));
    deliveries.push({ label: `shopify (EUR) orders/paid #EU${1001 + i}`, path: "/ingest/shopify", init: shopifyInit(body, "orders/paid", target), copies: 1 });
  }
  const refundBody = inEuros(shakeRefund(6_300_000_000_001, 5_300_000_000_000));
  deliveries.push({
    label: "shopify (EUR) refunds/create (one shake of #EU1001)",
    path: "/ingest/shopify",
    init: shopifyInit(refundBody, "refunds/create", target),
    copies: 1,
  });
  return deliveries;
}
