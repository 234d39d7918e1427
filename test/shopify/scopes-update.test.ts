/**
 * Issue 14: `app/scopes_update` (declared in shopify.app.toml) reaches the stored offline session through the
 * real ingest route and worker, so authenticate.admin and the Admin API client see the scopes the merchant granted.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";

const app = runAppAndWorkers();
let shopId: string;

beforeAll(async () => {
  shopId = (await ensureShopifyShop(db(), TEST_SHOP)).id;
  // What an install leaves: the offline session (and an online one, which this webhook does not concern).
  await db().session.create({
    data: { id: `offline_${TEST_SHOP}`, shop: TEST_SHOP, state: "installed", isOnline: false, accessToken: "shpat_x", scope: "read_orders" },
  });
  await db().session.create({ data: { id: `${TEST_SHOP}_42`, shop: TEST_SHOP, state: "s", isOnline: true, accessToken: "shpua_x", scope: "read_orders" } });
});

async function deliverScopesUpdate(body: string) {
  const webhookId = randomUUID();
  const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic: "app/scopes_update", webhookId }));
  expect(response.status).toBe(200);
  return waitUntil(
    async () => {
      const row = await db().webhookEvent.findFirst({ where: { shopId, eventKey: webhookId } });
      return row && ["processed", "ignored", "dead"].includes(row.status) ? row : null;
    },
    20_000,
    "the scopes update to be processed",
  );
}

describe("app/scopes_update", () => {
  it("writes the granted scopes on the shop's offline session, audited", async () => {
    const body = JSON.stringify({
      id: 1,
      previous: ["read_orders"],
      current: ["read_orders", "read_customers", "write_discounts"],
      updated_at: "2026-12-05T12:00:00.000Z",
    });
    const event = await deliverScopesUpdate(body);
    expect(event.status).toBe("processed");
    expect(await db().session.findUniqueOrThrow({ where: { id: `offline_${TEST_SHOP}` } })).toMatchObject({
      scope: "read_orders,read_customers,write_discounts",
    });
    expect(await db().session.findUniqueOrThrow({ where: { id: `${TEST_SHOP}_42` } })).toMatchObject({ scope: "read_orders" });
    expect(await db().auditLog.count({ where: { shopId, action: "app.scopes_updated" } })).toBe(1);
  });

  it("changes nothing for a body without a valid scope list", async () => {
    const event = await deliverScopesUpdate(JSON.stringify({ id: 2, current: "read_orders; DROP" }));
    expect(event.status).toBe("ignored");
    expect(await db().session.findUniqueOrThrow({ where: { id: `offline_${TEST_SHOP}` } })).toMatchObject({
      scope: "read_orders,read_customers,write_discounts",
    });
  });
});
