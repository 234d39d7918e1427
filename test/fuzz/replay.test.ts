/**
 * Issue 15, replay: the platforms sign the body, not the headers, so anyone holding a captured genuine delivery
 * can send it again with any topic, shop domain or webhook id. Each such replay, once the workers are done with
 * it, changes no order, commission, ledger, distributor, audit or shop row, in the shop it came from or in
 * another. (One replay remains possible and is documented in the README: an order body replayed against
 * another installed shop, whose payload does not name its shop.)
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { signHmacSha256Base64 } from "~/domain/platforms/signatures";
import { createConnection } from "~/services/connections.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { fixtureText } from "~test/support/platforms/fixtures";
import { magentoOrderFor, SPRING_BASKET, wooCommerceOrderFor } from "~test/support/platforms/baskets";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil, wooCommerceDelivery } from "../support/deliveries";
import { orderBody, refundBody, LINE_A, seedShop, type SeededShop } from "../commissions/support";
import { rowSnapshot } from "./support";

const app = runAppAndWorkers();
const VICTIM = "replay-victim.myshopify.com";
let shop: SeededShop;
let victimId: string;
let woo: Awaited<ReturnType<typeof createConnection>>;
let magento: Awaited<ReturnType<typeof createConnection>>;

const SHOPIFY_TOPICS = [
  "orders/create",
  "orders/paid",
  "orders/updated",
  "orders/cancelled",
  "orders/fulfilled",
  "orders/partially_fulfilled",
  "refunds/create",
  "customers/create",
  "customers/update",
  "products/update",
  "app/uninstalled",
  "app/scopes_update",
  "shop/update",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
  "ORDERS_CANCELLED",
  "orders/delete",
];
const WOO_TOPICS = [
  "order.created",
  "order.updated",
  "order.restored",
  "order.deleted",
  "refund.created",
  "customer.created",
  "customer.updated",
  "product.updated",
  "action.woocommerce_order_refunded",
];
const MAGENTO_TOPICS = [
  "order.placed",
  "order.invoiced",
  "creditmemo.created",
  "sales_order_creditmemo_save_after",
  "customer_save_after",
  "catalog_product_delete_after",
];

/** A captured genuine delivery: its body (signed) and the headers it came with. */
interface Captured {
  path: string;
  body: string;
  headers: Record<string, string>;
}

const captured: Record<string, Captured> = {};

const shopifyCapture = (body: string, topic: string): Captured => {
  const init = shopifyDelivery(body, { topic });
  return { path: "/ingest/shopify", body, headers: { ...(init.headers as Record<string, string>) } };
};

const send = (delivery: Captured, headers: Record<string, string>) =>
  fetch(`${app.server.url}${delivery.path}`, { method: "POST", body: delivery.body, headers: { ...delivery.headers, ...headers } });

/** Until the workers have finished every row of these shops (processed, ignored, dead or rejected). */
async function settled(shopIds: readonly string[]) {
  await waitUntil(
    async () => (await db().webhookEvent.count({ where: { shopId: { in: [...shopIds] }, status: { in: ["pending", "processing", "failed"] } } })) === 0,
    30_000,
    "the inbox to settle",
  );
}

beforeAll(async () => {
  shop = await seedShop();
  victimId = (await ensureShopifyShop(db(), VICTIM)).id;
  await enrollDistributor(db(), victimId, { code: "VICTIM1", enrolledAt: "2021-01-01T00:00:00Z" });
  woo = await createConnection(db(), shop.shopId, { platform: "woocommerce", name: "Woo", baseUrl: "https://woo.example" });
  magento = await createConnection(db(), shop.shopId, { platform: "magento", name: "Magento" });

  captured.order = shopifyCapture(orderBody("7156000001"), "orders/paid");
  captured.refund = shopifyCapture(refundBody("7156000001", "7156000901", [LINE_A]), "refunds/create");
  captured.customer = shopifyCapture(fixtureText("shopify", "customers_create.sample.trigger-dev.json"), "customers/create");
  const wooInit = wooCommerceDelivery(JSON.stringify({ ...wooCommerceOrderFor(SPRING_BASKET), id: 7156 }), woo.webhookSecret, "order.updated");
  captured.woo = { path: woo.ingestPath, body: String(wooInit.body), headers: { ...(wooInit.headers as Record<string, string>) } };
  const magentoBody = JSON.stringify({ event: "order.placed", event_id: `replay-${randomUUID()}`, data: magentoOrderFor(SPRING_BASKET) });
  captured.magento = {
    path: magento.ingestPath,
    body: magentoBody,
    headers: {
      "Content-Type": "application/json",
      "X-Upline-Topic": "order.placed",
      "X-Upline-Signature": signHmacSha256Base64(magentoBody, magento.webhookSecret),
    },
  };
  for (const delivery of Object.values(captured)) expect((await send(delivery, {})).status).toBe(200);
  await settled([shop.shopId]);
  // The genuine deliveries did their work: these are the rows a replay must leave alone.
  expect(await db().order.count({ where: { shopId: shop.shopId } })).toBe(3);
  expect(await db().refund.count({ where: { shopId: shop.shopId } })).toBe(1);
  expect(await db().ledgerTransaction.count({ where: { shopId: shop.shopId } })).toBeGreaterThanOrEqual(3);
});

describe("a captured genuine delivery replayed with other headers changes nothing", () => {
  it("Shopify: the same webhook id under every other topic is the same event (stored once, nothing new)", async () => {
    const before = await rowSnapshot([shop.shopId, victimId]);
    for (const delivery of [captured.order!, captured.refund!, captured.customer!]) {
      for (const topic of SHOPIFY_TOPICS) {
        const response = await send(delivery, { "X-Shopify-Topic": topic });
        expect([200, 400], `${topic}: ${response.status}`).toContain(response.status);
      }
    }
    await settled([shop.shopId]);
    expect(await rowSnapshot([shop.shopId, victimId])).toEqual(before);
  });

  it("Shopify: a new webhook id under every topic, to the same shop, leaves every row as it was", async () => {
    const before = await rowSnapshot([shop.shopId, victimId], { withInbox: false });
    for (const delivery of [captured.order!, captured.refund!, captured.customer!]) {
      for (const topic of SHOPIFY_TOPICS) {
        const response = await send(delivery, { "X-Shopify-Topic": topic, "X-Shopify-Webhook-Id": randomUUID() });
        expect([200, 400], `${topic}: ${response.status}`).toContain(response.status);
      }
    }
    await settled([shop.shopId]);
    expect(await rowSnapshot([shop.shopId, victimId], { withInbox: false })).toEqual(before);
  });

  it("Shopify: another shop's domain is refused for the topics that act on a shop, and unknown domains for all", async () => {
    const before = await rowSnapshot([shop.shopId, victimId]);
    const actsOnShop = ["app/uninstalled", "shop/redact", "customers/redact", "customers/data_request"];
    for (const delivery of [captured.order!, captured.refund!, captured.customer!]) {
      for (const topic of actsOnShop) {
        expect((await send(delivery, { "X-Shopify-Topic": topic, "X-Shopify-Shop-Domain": VICTIM, "X-Shopify-Webhook-Id": randomUUID() })).status).toBe(400);
      }
      for (const domain of ["unknown.myshopify.com", "", " ", "UPLINE-TEST.MYSHOPIFY.COM.evil.example", "<script>x</script>"]) {
        const response = await send(delivery, { "X-Shopify-Shop-Domain": domain, "X-Shopify-Webhook-Id": randomUUID() });
        expect(response.status, domain).toBeGreaterThanOrEqual(400);
        expect(response.status, domain).toBeLessThan(500);
      }
    }
    expect(await rowSnapshot([shop.shopId, victimId])).toEqual(before);
  });

  it("WooCommerce: the same body under every other topic and a new delivery id leaves every row as it was", async () => {
    const before = await rowSnapshot([shop.shopId, victimId], { withInbox: false });
    for (const topic of WOO_TOPICS) {
      const [resource, event] = topic.split(".");
      const response = await send(captured.woo!, {
        "X-WC-Webhook-Topic": topic,
        "X-WC-Webhook-Resource": resource!,
        "X-WC-Webhook-Event": event!,
        "X-WC-Webhook-Delivery-ID": randomUUID(),
        "X-WC-Webhook-ID": String(Math.floor(Math.random() * 1_000)),
      });
      expect([200, 400], `${topic}: ${response.status}`).toContain(response.status);
    }
    await settled([shop.shopId]);
    expect(await rowSnapshot([shop.shopId, victimId], { withInbox: false })).toEqual(before);
  });

  it("Magento: the same body under every other topic is the same event (keyed by its body)", async () => {
    const before = await rowSnapshot([shop.shopId, victimId]);
    for (const topic of MAGENTO_TOPICS) {
      const response = await send(captured.magento!, { "X-Upline-Topic": topic, "X-Upline-Event-Id": randomUUID() });
      expect(response.status, topic).toBe(200);
    }
    await settled([shop.shopId]);
    expect(await rowSnapshot([shop.shopId, victimId])).toEqual(before);
  });
});
