import "@shopify/shopify-api/adapters/web-api";
import { describe, expect, it } from "vitest";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { checkShopifyDelivery } from "~/domain/platforms/shopify-delivery";
import { shopifyWireText } from "~test/support/platforms/fixtures";
import { shopifyDelivery } from "../support/deliveries";

/** Shopify's own library, configured with the same secret: the reference our hot-path check must agree with. */
const secret = "verification-secret";
const shopify = shopifyApi({
  apiKey: "key",
  apiSecretKey: secret,
  scopes: ["read_orders"],
  hostName: "upline.test",
  apiVersion: ApiVersion.October26,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error, log: async () => {} },
});

const body = shopifyWireText("orders_create.sample.trigger-dev.json");

function withoutHeader(init: RequestInit, name: string): RequestInit {
  const headers = new Headers(init.headers);
  headers.delete(name);
  return { ...init, headers };
}

const cases: Record<string, { init: RequestInit; rawBody: string }> = {
  "a correctly signed delivery": { init: shopifyDelivery(body, { secret }), rawBody: body },
  "a signature made with another secret": { init: shopifyDelivery(body, { secret: "other" }), rawBody: body },
  "a tampered body": { init: shopifyDelivery(body, { secret }), rawBody: body.replace("199.00", "1.99") },
  "a truncated signature": { init: shopifyDelivery(body, { secret, signature: "abc" }), rawBody: body },
  "no topic header": { init: withoutHeader(shopifyDelivery(body, { secret }), "X-Shopify-Topic"), rawBody: body },
  "no shop header": { init: withoutHeader(shopifyDelivery(body, { secret }), "X-Shopify-Shop-Domain"), rawBody: body },
  "no webhook id": { init: withoutHeader(shopifyDelivery(body, { secret }), "X-Shopify-Webhook-Id"), rawBody: body },
  "no API version": { init: withoutHeader(shopifyDelivery(body, { secret }), "X-Shopify-API-Version"), rawBody: body },
  "no signature": { init: withoutHeader(shopifyDelivery(body, { secret }), "X-Shopify-Hmac-Sha256"), rawBody: body },
};

describe("the ingest route's Shopify check agrees with @shopify/shopify-api's webhooks.validate", () => {
  for (const [name, { init, rawBody }] of Object.entries(cases)) {
    it(name, async () => {
      const request = new Request("https://upline.test/ingest/shopify", { ...init, body: rawBody });
      const reference = await shopify.webhooks.validate({ rawBody, rawRequest: request });
      const ours = checkShopifyDelivery(request.headers, rawBody, [secret]);
      expect(ours.ok).toBe(reference.valid);
      if (reference.valid && ours.ok) {
        expect([ours.shop, ours.topic, ours.webhookId, ours.apiVersion]).toEqual([
          reference.domain,
          reference.topic.replace(/_/g, "/").toLowerCase(),
          reference.webhookId,
          reference.apiVersion,
        ]);
      }
    });
  }
});
