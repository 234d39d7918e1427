/**
 * The storefront affiliate portal through the app proxy: a signed-in customer who is a distributor sees their
 * code, referral link and exactly what an order through the real ingest route and worker earned them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";
import { appProxyUrl } from "../support/app-proxy";
import { orderBody, orderRow, seedShop, type SeededShop } from "../commissions/support";

const app = runAppAndWorkers();
let shop: SeededShop;
const ANNA_CUSTOMER = "7001";

beforeAll(async () => {
  shop = await seedShop();
  await enrollDistributor(db(), shop.shopId, {
    code: "ANNA",
    sponsorCode: "JANE01",
    name: "Anna {{ shop.name }}",
    platform: "shopify",
    platformCustomerId: ANNA_CUSTOMER,
    enrolledAt: "2021-04-01T00:00:00Z",
  });
  const response = await fetch(
    `${app.server.url}/ingest/shopify`,
    shopifyDelivery(orderBody("5550001", { ref: "ANNA" }), { topic: "orders/paid", webhookId: randomUUID() }),
  );
  expect(response.status).toBe(200);
  const order = await waitUntil(() => orderRow(shop.shopId, "5550001"), 20_000, "the order");
  await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, "its commission");
});

async function portal(customerId: string | null, shopDomain = TEST_SHOP, pathPrefix?: string) {
  const response = await fetch(appProxyUrl(app.server.url, "/proxy", { shop: shopDomain, customerId, pathPrefix }));
  return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
}

async function join(customerId: string, sponsor: string) {
  const response = await fetch(appProxyUrl(app.server.url, "/proxy", { shop: TEST_SHOP, customerId }), {
    method: "POST",
    body: new URLSearchParams({ sponsor }),
  });
  return { status: response.status, body: await response.text() };
}

describe("affiliate portal (app proxy)", () => {
  it("shows a signed-in distributor their code, referral link and earnings to the cent, as Liquid", async () => {
    const page = await portal(ANNA_CUSTOMER);
    expect(page.status).toBe(200);
    expect(page.type).toContain("application/liquid");
    expect(page.body).toContain('<strong data-upline="code">ANNA</strong>');
    expect(page.body).toContain(`value="https://${TEST_SHOP}/?ref=ANNA"`);
    // Two lines × 199.00 in "standard": ANNA is level 1 at 10 %.
    expect(page.body).toMatch(/<td>USD<\/td><td class="amount">39\.80<\/td><td class="amount">0\.00<\/td>/);
    expect(page.body).toContain('Commission</td><td class="amount">39.80 USD</td>');
  });

  it("shows the affiliate's team by level: counts, never names", async () => {
    await enrollDistributor(db(), shop.shopId, { code: "TOM", sponsorCode: "ANNA", name: "Tom Private", enrolledAt: "2021-05-01T00:00:00Z" });
    const page = await portal(ANNA_CUSTOMER);
    expect(page.body).toMatch(/<table data-upline="downline">.*<td>1<\/td><td class="amount">1<\/td>/);
    expect(page.body).not.toContain("Tom Private");
  });

  it("lets a signed-in customer join under the code they give, once, however often they submit", async () => {
    const first = await join("8001", "anna");
    expect(first.status).toBe(200);
    expect(first.body).toMatch(/<strong data-upline="code">[A-Z0-9]+<\/strong>/);
    await join("8001", "anna");
    const refs = await db().distributorCustomerRef.findMany({ where: { shopId: shop.shopId, platform: "shopify", platformCustomerId: "8001" } });
    expect(refs).toHaveLength(1);
    const edge = await db().sponsorEdge.findFirstOrThrow({ where: { shopId: shop.shopId, distributorId: refs[0]!.distributorId, validTo: null } });
    expect(edge.sponsorId).toBe((await db().distributor.findFirstOrThrow({ where: { shopId: shop.shopId, code: "ANNA" } })).id);
  });

  it("refuses to join under a code nobody has, saying so, and creates no one", async () => {
    const before = await db().distributor.count({ where: { shopId: shop.shopId } });
    const page = await join("8002", "NOSUCH");
    expect(page.body).toContain("No affiliate has the code &quot;NOSUCH&quot;.");
    expect(await db().distributor.count({ where: { shopId: shop.shopId } })).toBe(before);
  });

  it("never lets a name be read as Liquid", async () => {
    const page = await portal(ANNA_CUSTOMER);
    expect(page.body).toContain("Welcome, Anna &#123;&#123; shop.name &#125;&#125;");
    expect(page.body).not.toContain("{{");
  });

  it("asks a signed-out visitor to log in, and tells a customer who is no affiliate so", async () => {
    expect((await portal(null)).body).toContain("Log in</a> to see your earnings");
    expect((await portal("9999")).body).toContain("not an affiliate of this store yet");
  });

  it("links to the proxy path Shopify sends (path_prefix), also under a merchant's custom prefix", async () => {
    // (shopify-app-remix's liquid() adds a trailing slash to relative links and form actions.)
    expect((await portal(null)).body).toContain('href="/account/login/?return_url=%2Fapps%2Fupline"');
    const signedOut = await portal(null, TEST_SHOP, "/community/affiliates");
    expect(signedOut.body).toContain('href="/account/login/?return_url=%2Fcommunity%2Faffiliates"');
    expect(signedOut.body).not.toContain("/apps/upline");
    const notEnrolled = await portal("9998", TEST_SHOP, "/community/affiliates");
    expect(notEnrolled.body).toContain('<form method="post" action="/community/affiliates/">');
    const joined = await fetch(appProxyUrl(app.server.url, "/proxy", { shop: TEST_SHOP, customerId: "9997", pathPrefix: "/a/partners" }), {
      method: "POST",
      body: new URLSearchParams({ sponsor: "NOSUCH" }),
    });
    expect(await joined.text()).toContain('<form method="post" action="/a/partners/">');
    // The prefix is signed like the rest: changed after signing, the request is refused.
    const url = new URL(appProxyUrl(app.server.url, "/proxy", { shop: TEST_SHOP, customerId: null, pathPrefix: "/apps/upline" }));
    url.searchParams.set("path_prefix", "/community/elsewhere");
    expect((await fetch(url)).status).toBe(400);
  });

  it("refuses a request whose proxy signature does not verify", async () => {
    const url = new URL(appProxyUrl(app.server.url, "/proxy", { shop: TEST_SHOP, customerId: ANNA_CUSTOMER }));
    url.searchParams.set("logged_in_customer_id", "1"); // tampered after signing
    const response = await fetch(url);
    expect(response.status).toBe(400);
  });

  it("shows nothing of this shop to another shop's storefront", async () => {
    const page = await portal(ANNA_CUSTOMER, "another-store.myshopify.com");
    expect(page.status).toBe(200);
    expect(page.body).not.toContain("ANNA");
    expect(page.body).not.toContain("39.80");
  });
});
