/**
 * The catalog for the SKU → class picker: read through the Admin API client from the fake, then kept current by
 * products/update and products/delete deliveries through the real ingest and worker. A late, older update
 * changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { createApiToken } from "~/services/api/tokens.server";
import { ShopifyAdminClient } from "~/services/shopify/admin-client.server";
import { searchCatalog, syncShopifyCatalog } from "~/services/shopify/catalog.server";
import { fixtureJson } from "~test/support/platforms/fixtures";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";
import { startFakeShopifyAdmin, type FakeShopifyAdmin } from "../support/fakes/shopify-admin";

const app = runAppAndWorkers();
let fake: FakeShopifyAdmin;
let shopId: string;

async function variants() {
  return db().catalogVariant.findMany({
    where: { shopId },
    orderBy: { platformVariantId: "asc" },
    select: { platformProductId: true, platformVariantId: true, sku: true, productTitle: true, variantTitle: true, tags: true },
  });
}

async function deliverProduct(topic: string, body: Record<string, unknown>) {
  const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(JSON.stringify(body), { topic }));
  expect(response.status).toBe(200);
  await waitUntil(
    async () => (await db().webhookEvent.count({ where: { shopId, topic, status: { in: ["pending", "processing", "failed"] } } })) === 0,
    20_000,
    `${topic} processed`,
  );
}

beforeAll(async () => {
  fake = await startFakeShopifyAdmin("shpat_catalog");
  shopId = (await ensureShopifyShop(db(), TEST_SHOP)).id;
  fake.products = [
    {
      id: "gid://shopify/Product/9554194432293",
      title: "T-Shirt",
      tags: ["cotton", "starter-kit"],
      updatedAt: "2025-04-22T19:30:00Z",
      variants: [
        { id: "gid://shopify/ProductVariant/123456789", sku: "TSHIRT-001", title: "Small" },
        { id: "gid://shopify/ProductVariant/123456790", sku: "TSHIRT-002", title: "Large" },
      ],
    },
    {
      id: "gid://shopify/Product/77",
      title: "Gift card",
      tags: [],
      updatedAt: "2025-01-01T00:00:00Z",
      variants: [{ id: "gid://shopify/ProductVariant/78", sku: "", title: "Default Title" }],
    },
  ];
});
afterAll(async () => fake?.close());

describe("Shopify catalog", () => {
  it("reads products and variants (SKU, titles, tags) through the Admin API client", async () => {
    const client = new ShopifyAdminClient({ apiUrl: fake.apiUrl, accessToken: async () => "shpat_catalog" });
    expect(await syncShopifyCatalog(db(), client, shopId, TEST_SHOP)).toEqual({ products: 2, variants: 3 });
    expect(await variants()).toEqual([
      {
        platformProductId: "9554194432293",
        platformVariantId: "123456789",
        sku: "TSHIRT-001",
        productTitle: "T-Shirt",
        variantTitle: "Small",
        tags: ["cotton", "starter-kit"],
      },
      {
        platformProductId: "9554194432293",
        platformVariantId: "123456790",
        sku: "TSHIRT-002",
        productTitle: "T-Shirt",
        variantTitle: "Large",
        tags: ["cotton", "starter-kit"],
      },
      { platformProductId: "77", platformVariantId: "78", sku: null, productTitle: "Gift card", variantTitle: "Default Title", tags: [] },
    ]);
    expect((await searchCatalog(db(), shopId, "tshirt-002")).map((entry) => entry.platformVariantId)).toEqual(["123456790"]);
    const { token } = await createApiToken(db(), shopId, "picker", ["catalog:read"]);
    const response = await fetch(`${app.server.url}/api/v1/catalog?search=TSHIRT-00&limit=1`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      variants: [
        {
          product_id: "9554194432293",
          variant_id: "123456790",
          sku: "TSHIRT-002",
          product_title: "T-Shirt",
          variant_title: "Large",
          tags: ["cotton", "starter-kit"],
        },
      ],
    });
    expect((await fetch(`${app.server.url}/api/v1/catalog?limit=0`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(400);
    expect((await searchCatalog(db(), shopId, "starter-kit")).map((entry) => entry.variantTitle)).toEqual(["Large", "Small"]); // by product, then variant title
  });

  it("follows products/update (a variant gone, a SKU changed), ignores an older update, and drops a deleted product", async () => {
    const update = fixtureJson("shopify", "products_update.shopify-dev-delivery-structure-example.json");
    const newer = {
      ...update,
      title: "Tee",
      updated_at: "2025-05-01T10:00:00-05:00",
      tags: "cotton, kit",
      variants: [{ id: 123456789, title: "Small", sku: "TEE-S" }],
    };
    await deliverProduct("products/update", newer);
    expect((await variants()).filter((variant) => variant.platformProductId === "9554194432293")).toEqual([
      { platformProductId: "9554194432293", platformVariantId: "123456789", sku: "TEE-S", productTitle: "Tee", variantTitle: "Small", tags: ["cotton", "kit"] },
    ]);

    // The fixture itself is older (2025-04-22) than what is stored: delivered late, it changes nothing.
    await deliverProduct("products/update", update);
    expect((await variants()).find((variant) => variant.platformVariantId === "123456789")).toMatchObject({ sku: "TEE-S", productTitle: "Tee" });

    await deliverProduct("products/delete", { id: 9554194432293 });
    expect((await variants()).map((variant) => variant.platformProductId)).toEqual(["77"]);
  });
});
