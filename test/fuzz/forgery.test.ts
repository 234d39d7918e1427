/**
 * Issue 15, forgery: on every path that takes data from outside — Shopify, WooCommerce and Magento deliveries
 * (our module's HMAC and Adobe I/O's RSA), the storefront app proxy and /api/v1 bearer tokens — a forged or
 * tampered credential is refused with a 4xx and no row anywhere changes. Tampering is generated (fast-check):
 * one flipped bit of the signature, one changed byte of the body, a signature made with another secret.
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { createHmac, randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { signHmacSha256Base64 } from "~/domain/platforms/signatures";
import { createConnection } from "~/services/connections.server";
import { createApiToken } from "~/services/api/tokens.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { magentoIoEventFor, SPRING_BASKET, wooCommerceOrderFor } from "~test/support/platforms/baskets";
import { runAppAndWorkers } from "../support/app-and-workers";
import { appProxyUrl } from "../support/app-proxy";
import { shopifyDelivery, TEST_SHOP, waitUntil, wooCommerceDelivery } from "../support/deliveries";
import { orderBody, seedShop, type SeededShop } from "../commissions/support";
import { adobeKeys, FUZZ_RUNS, rawRequest, rowSnapshot } from "./support";

const app = runAppAndWorkers();
const OTHER_SHOP = "other-forgery.myshopify.com";
const adobe = adobeKeys();
const stranger = adobeKeys();
let shop: SeededShop;
let otherShopId: string;
let woo: Awaited<ReturnType<typeof createConnection>>;
let magento: Awaited<ReturnType<typeof createConnection>>;
let token: string;
let otherShopToken: string;

beforeAll(async () => {
  shop = await seedShop();
  otherShopId = (await ensureShopifyShop(db(), OTHER_SHOP)).id;
  await enrollDistributor(db(), otherShopId, { code: "OTHER1", enrolledAt: "2021-01-01T00:00:00Z" });
  woo = await createConnection(db(), shop.shopId, { platform: "woocommerce", name: "Woo", baseUrl: "https://woo.example" });
  magento = await createConnection(db(), shop.shopId, { platform: "magento", name: "Magento", publicKeysPem: [adobe.publicKeyPem] });
  token = (await createApiToken(db(), shop.shopId, "forgery", ["orders:write", "distributors:read", "distributors:write"])).token;
  otherShopToken = (await createApiToken(db(), otherShopId, "other", ["orders:write", "distributors:read", "distributors:write"])).token;
});

const snapshot = () => rowSnapshot([shop.shopId, otherShopId]);
const bodyText = (init: RequestInit) => String(init.body);
const headersOf = (init: RequestInit) => ({ ...(init.headers as Record<string, string>) });

/** The signature with one bit flipped (still base64 of the same length, so only the comparison can refuse it). */
function flipBit(signature: string, position: number, bit: number): string {
  const bytes = Buffer.from(signature, "base64");
  const index = position % bytes.length;
  bytes[index] = bytes[index]! ^ (1 << (bit % 8));
  return bytes.toString("base64");
}

/** The body with one byte changed to another value. */
function tamper(body: string, position: number, delta: number): Buffer {
  const bytes = Buffer.from(body, "utf8");
  const index = position % bytes.length;
  bytes[index] = (bytes[index]! + 1 + (delta % 255)) % 256;
  return bytes;
}

const tampering = fc.record({ position: fc.nat(), bit: fc.nat(), delta: fc.nat(), secret: fc.string({ minLength: 1, maxLength: 40 }) });

/** Runs generated forgeries of one signed delivery and asserts each is refused with `status` and stores nothing. */
async function refusesForgeries(
  path: string,
  genuine: { body: string; headers: Record<string, string> },
  signatureHeader: string,
  sign: (body: string | Buffer, secret: string) => string,
  status = 401,
) {
  const before = await snapshot();
  const seen = new Set<number>();
  await fc.assert(
    fc.asyncProperty(tampering, async ({ position, bit, delta, secret }) => {
      const forgeries: { body: Buffer | string; signature: string }[] = [
        { body: genuine.body, signature: flipBit(genuine.headers[signatureHeader]!, position, bit) },
        { body: tamper(genuine.body, position, delta), signature: genuine.headers[signatureHeader]! },
        { body: genuine.body, signature: sign(genuine.body, secret) },
      ];
      for (const forgery of forgeries) {
        const response = await rawRequest(app.server.url, { path, headers: { ...genuine.headers, [signatureHeader]: forgery.signature }, body: forgery.body });
        seen.add(response.status);
        expect(response.status, response.body).toBe(status);
      }
    }),
    { numRuns: Math.max(10, Math.round(FUZZ_RUNS / 4)) },
  );
  // A missing or empty signature is refused too.
  const unsigned = { ...genuine.headers };
  delete unsigned[signatureHeader];
  for (const headers of [unsigned, { ...genuine.headers, [signatureHeader]: "" }]) {
    const response = await rawRequest(app.server.url, { path, headers, body: genuine.body });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  }
  expect([...seen]).toEqual([status]);
  expect(await snapshot()).toEqual(before);
}

describe("forged or tampered deliveries are refused and change nothing", () => {
  it("Shopify (app secret HMAC over the raw body)", async () => {
    const genuine = shopifyDelivery(orderBody("7155000001"));
    await refusesForgeries("/ingest/shopify", { body: bodyText(genuine), headers: headersOf(genuine) }, "X-Shopify-Hmac-Sha256", signHmacSha256Base64);
  });

  it("WooCommerce (the connection's secret)", async () => {
    const genuine = wooCommerceDelivery(JSON.stringify({ ...wooCommerceOrderFor(SPRING_BASKET), id: 7155 }), woo.webhookSecret);
    await refusesForgeries(woo.ingestPath, { body: bodyText(genuine), headers: headersOf(genuine) }, "X-WC-Webhook-Signature", signHmacSha256Base64);
  });

  it("Magento, our module (the connection's secret)", async () => {
    const body = JSON.stringify({ event: "order.placed", event_id: `forgery-${randomUUID()}`, data: {} });
    const headers = {
      "Content-Type": "application/json",
      "X-Upline-Topic": "order.placed",
      "X-Upline-Signature": signHmacSha256Base64(body, magento.webhookSecret),
    };
    await refusesForgeries(magento.ingestPath, { body, headers }, "X-Upline-Signature", signHmacSha256Base64);
  });

  it("Magento through Adobe I/O Events (RSA against the connection's public keys)", async () => {
    const body = JSON.stringify({ ...magentoIoEventFor(SPRING_BASKET), event_id: randomUUID() });
    const headers = { "Content-Type": "application/json", "x-adobe-digital-signature-1": adobe.sign(body) };
    // Signed with a key the connection does not hold, the delivery is as forged as a flipped bit.
    await refusesForgeries(magento.ingestPath, { body, headers }, "x-adobe-digital-signature-1", (signed) => stranger.sign(signed));
  });

  it("and the genuine deliveries those forgeries were made from are accepted and processed", async () => {
    const shopify = shopifyDelivery(orderBody("7155000001"));
    expect((await fetch(`${app.server.url}/ingest/shopify`, shopify)).status).toBe(200);
    const adobeBody = JSON.stringify({ ...magentoIoEventFor(SPRING_BASKET), event_id: randomUUID() });
    const magentoResponse = await fetch(`${app.server.url}${magento.ingestPath}`, {
      method: "POST",
      body: adobeBody,
      headers: { "Content-Type": "application/json", "x-adobe-digital-signature-2": adobe.sign(adobeBody) },
    });
    expect(magentoResponse.status).toBe(200);
    await waitUntil(async () => (await db().order.count({ where: { shopId: shop.shopId } })) === 2, 20_000, "both orders");
  });
});

describe("the app proxy (Shopify's signature over the query)", () => {
  const join = (url: string) => fetch(url, { method: "POST", body: new URLSearchParams({ sponsor: "JANE01" }) });

  it("refuses a tampered, re-signed with another secret, or unsigned request, and enrolls nobody", async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("shop", "logged_in_customer_id", "timestamp", "path_prefix", "signature"),
        fc.string({ minLength: 1, maxLength: 30 }),
        async (field, value) => {
          const url = new URL(appProxyUrl(app.server.url, "/proxy", { shop: TEST_SHOP, customerId: "777001" }));
          if (url.searchParams.get(field) === value) return;
          url.searchParams.set(field, value);
          for (const response of [await fetch(url), await join(url.toString())]) {
            expect(response.status).toBeGreaterThanOrEqual(400);
            expect(response.status).toBeLessThan(500);
          }
        },
      ),
      { numRuns: Math.max(10, Math.round(FUZZ_RUNS / 4)) },
    );
    const otherSecret = appProxyUrl(app.server.url, "/proxy", { shop: TEST_SHOP, customerId: "777001" }, "not-the-app-secret");
    const unsigned = new URL(appProxyUrl(app.server.url, "/proxy", { shop: TEST_SHOP, customerId: "777001" }));
    unsigned.searchParams.delete("signature");
    for (const url of [otherSecret, unsigned.toString()]) expect((await join(url)).status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it("accepts the genuine request (so the refusals above are the signature's doing)", async () => {
    const response = await fetch(appProxyUrl(app.server.url, "/proxy", { shop: TEST_SHOP, customerId: null }));
    expect(response.status).toBe(200);
  });
});

describe("/api/v1 bearer tokens", () => {
  const order = { platform_order_id: "7155000900", currency: "USD", items: [{ sku: "UPL-SHAKE-VAN", quantity: 1, unit_price: "10.00" }] };
  const post = (authorization: string | null) =>
    fetch(`${app.server.url}/api/v1/orders`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": randomUUID(), ...(authorization === null ? {} : { Authorization: authorization }) },
      body: JSON.stringify(order),
    });

  it("refuses forged, altered, truncated and unknown tokens with 401 and stores nothing", async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), async (position, character) => {
        const index = 4 + (position % (token.length - 4));
        if (token[index] === character) return;
        const altered = `${token.slice(0, index)}${character}${token.slice(index + 1)}`;
        for (const authorization of [
          `Bearer ${altered}`,
          `Bearer ${token.slice(0, index)}`,
          `Bearer upl_${createHmac("sha256", String(position)).digest("base64url")}`,
        ]) {
          const response = await post(authorization);
          expect(response.status, authorization).toBe(401);
          expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
        }
      }),
      { numRuns: Math.max(10, Math.round(FUZZ_RUNS / 4)) },
    );
    for (const authorization of [null, "", "Bearer", `Basic ${Buffer.from(`x:${token}`).toString("base64")}`, token, `Bearer ${token} ${token}`]) {
      expect((await post(authorization)).status, String(authorization)).toBe(401);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a revoked token, and a token never reads or writes another shop's rows", async () => {
    const revoked = await createApiToken(db(), shop.shopId, "revoked", ["orders:write"]);
    await db().apiToken.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    expect((await post(`Bearer ${revoked.token}`)).status).toBe(401);

    const before = await snapshot();
    const jane = shop.ids.JANE01!;
    const read = await fetch(`${app.server.url}/api/v1/distributors/${jane}`, { headers: { Authorization: `Bearer ${otherShopToken}` } });
    expect(read.status).toBe(404);
    expect(await read.text()).not.toContain("jane@example.com");
    const moved = await fetch(`${app.server.url}/api/v1/distributors/${jane}/status`, {
      method: "POST",
      headers: { Authorization: `Bearer ${otherShopToken}`, "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
      body: JSON.stringify({ status: "terminated", effective_from: "2026-01-01T00:00:00Z", reason: "forgery test" }),
    });
    expect(moved.status).toBe(404);
    expect(await snapshot()).toEqual(before);
    // The same read with the shop's own token works: the 404 above is the shop scoping, not a broken route.
    expect((await fetch(`${app.server.url}/api/v1/distributors/${jane}`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});
