/**
 * Background Admin API calls read the shop's offline token through refreshedOfflineAccessToken: with
 * expiringOfflineAccessTokens a token lives an hour, so a worker that read the Session row directly would stop
 * working after the first hour. Here the stored token has expired: the Shopify library exchanges the refresh token
 * (at the fake's /admin/oauth/access_token, where the library's HTTP is pointed), stores the new pair, and the
 * call goes out with the new token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { db } from "~/db.server";
import { ShopifyAdminClient } from "~/services/shopify/admin-client.server";
import { TEST_SHOP } from "../support/deliveries";
import { startFakeShopifyAdmin, type FakeShopifyAdmin } from "../support/fakes/shopify-admin";

let fake: FakeShopifyAdmin;
const PRODUCTS = `query Catalog($first: Int!) { products(first: $first) { nodes { id } pageInfo { hasNextPage endCursor } } }`;

beforeAll(async () => {
  fake = await startFakeShopifyAdmin("shpat_never_issued");
  // Loads app/shopify.server.ts, whose Node adapter sets the library's fetch; ours replaces it afterwards so the
  // refresh the library sends to https://{shop} reaches the fake instead.
  await import("~/services/shopify/offline-token.server");
  setAbstractFetchFunc((input, init) => fetch(String(input).replace(`https://${TEST_SHOP}`, fake.url), init));
});
afterAll(async () => {
  setAbstractFetchFunc(globalThis.fetch);
  await fake?.close();
});

describe("offline token refresh", () => {
  it("refreshes an expired offline token, stores the new pair, and calls the Admin API with it", async () => {
    fake.refreshToken = "shprt_install";
    await db().session.create({
      data: {
        id: `offline_${TEST_SHOP}`,
        shop: TEST_SHOP,
        state: "",
        isOnline: false,
        accessToken: "shpat_expired",
        expires: new Date(Date.now() - 60_000),
        refreshToken: "shprt_install",
        refreshTokenExpires: new Date(Date.now() + 90 * 24 * 3_600_000),
        scope: "read_orders,read_products",
      },
    });
    // The client as workers build it: no accessToken setting, so the default (refreshed) one.
    const client = new ShopifyAdminClient({ apiUrl: fake.apiUrl });
    const { data } = await client.graphql<{ products: { nodes: unknown[] } }>(TEST_SHOP, PRODUCTS, { first: 10 });
    expect(data.products.nodes).toEqual([]);

    expect(fake.refreshes).toEqual([{ refreshToken: "shprt_install", clientId: "test-api-key", issued: "shpat_refreshed_1" }]);
    const session = await db().session.findUniqueOrThrow({ where: { id: `offline_${TEST_SHOP}` } });
    expect(session.accessToken).toBe("shpat_refreshed_1");
    expect(session.refreshToken).toBe("shprt_rotated_1");
    expect(session.expires!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(fake.requests.at(-1)).toMatchObject({ root: "products", status: 200 });

    // A fresh token is used as it is: no second refresh.
    await client.graphql(TEST_SHOP, PRODUCTS, { first: 10 });
    expect(fake.refreshes).toHaveLength(1);
  });

  it("reports a shop without an offline session as not installed", async () => {
    const client = new ShopifyAdminClient({ apiUrl: fake.apiUrl });
    await expect(client.graphql("never-installed.myshopify.com", PRODUCTS, { first: 1 })).rejects.toThrow(/no offline Admin API session/);
  });
});
