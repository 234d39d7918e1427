/**
 * Issue 15, defect 7: a signed delivery that can never be processed is a permanent error. It must not read as
 * transient (5xx) and must not be lost: WooCommerce never delivers again, so it is stored as rejected with the
 * reason, and answered 4xx. A body that is fine but for a UTF-8 byte-order mark is simply processed.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { createConnection } from "~/services/connections.server";
import { wooCommerceOrderFor, SPRING_BASKET } from "~test/support/platforms/baskets";
import { runAppAndWorkers } from "../support/app-and-workers";
import { TEST_SHOP, waitUntil, wooCommerceDelivery } from "../support/deliveries";

const app = runAppAndWorkers();
let shopId: string;
let woo: Awaited<ReturnType<typeof createConnection>>;

beforeAll(async () => {
  shopId = (await ensureShopifyShop(db(), TEST_SHOP)).id;
  woo = await createConnection(db(), shopId, { platform: "woocommerce", name: "Woo store", baseUrl: "https://woo.example" });
});

const post = (init: RequestInit) => fetch(`${app.server.url}${woo.ingestPath}`, init);
const wooOrder = (id: number) => ({ ...wooCommerceOrderFor(SPRING_BASKET), id, date_modified_gmt: `2026-03-01T10:00:${String(id % 60).padStart(2, "0")}` });

async function rejectedRow(rawBodyPart: string) {
  return db().webhookEvent.findFirstOrThrow({ where: { shopId, status: "rejected", rawBody: { contains: rawBodyPart } } });
}

describe("signed WooCommerce deliveries that are permanent errors", () => {
  it("stores a delivery without its topic header as rejected, with the reason, and answers 400", async () => {
    const body = JSON.stringify(wooOrder(71501));
    const init = wooCommerceDelivery(body, woo.webhookSecret);
    delete (init.headers as Record<string, string>)["X-WC-Webhook-Topic"];
    const response = await post(init);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const row = await rejectedRow('"id":71501');
    expect(row.lastError).toMatch(/x-wc-webhook-topic/i);
    expect(row.rawBody).toBe(body);
  });

  it("stores a body with NUL bytes as rejected (NUL kept as U+FFFD), and answers 400, not 503", async () => {
    const body = JSON.stringify(wooOrder(71502)).replace('"id":71502', '"id":71502,"note":"a\u0000b"');
    expect(body.includes("\u0000")).toBe(true);
    const response = await post(wooCommerceDelivery(body, woo.webhookSecret));
    expect(response.status).toBe(400);
    const row = await rejectedRow('"id":71502');
    expect(row.lastError).toMatch(/NUL/);
    expect(row.rawBody).toBe(body.replaceAll("\u0000", "\ufffd"));
  });

  it("processes a body that starts with a UTF-8 byte-order mark like any other", async () => {
    const body = `\ufeff${JSON.stringify(wooOrder(71503))}`;
    const response = await post(wooCommerceDelivery(body, woo.webhookSecret));
    expect(response.status).toBe(200);
    const order = await waitUntil(() => db().order.findFirst({ where: { shopId, platform: "woocommerce", platformOrderId: "71503" } }), 20_000, "the order");
    expect(order.totalMinor).toBeGreaterThan(0n);
    expect(await db().webhookEvent.count({ where: { shopId, status: "rejected", rawBody: { contains: '"id":71503' } } })).toBe(0);
  });
});
