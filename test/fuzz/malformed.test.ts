/**
 * Issue 15, fuzz: generated malformed input on every route that takes it from outside — correctly signed (so
 * it reaches the parsers, the inbox and the worker), with a valid token, or as raw URL paths — never gets a 5xx
 * (no outage is staged here, so not even 503), and every valid control delivery sent between the generated
 * ones is processed. The worker must meet the stored ones too: each ends processed, ignored, rejected or dead
 * as an invalid payload, never dead from a crash. FUZZ_RUNS sets the cases per route (3,000 for a long run).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { createHmac, randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { signHmacSha256Base64 } from "~/domain/platforms/signatures";
import { createConnection } from "~/services/connections.server";
import { createApiToken } from "~/services/api/tokens.server";
import { parseJsonLossless } from "~/domain/platforms/json";
import { magentoOrderFor, SPRING_BASKET, wooCommerceOrderFor } from "~test/support/platforms/baskets";
import { fixtureText } from "~test/support/platforms/fixtures";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil, wooCommerceDelivery } from "../support/deliveries";
import { orderBody, refundBody, LINE_A, seedShop, type SeededShop } from "../commissions/support";
import { bodyFor, EDGE_VALUES, headerValue, pathSegment } from "./generators";
import { FUZZ_RUNS, rawRequest, type RawRequest, type RawResponse } from "./support";

const app = runAppAndWorkers();
let shop: SeededShop;
let woo: Awaited<ReturnType<typeof createConnection>>;
let magento: Awaited<ReturnType<typeof createConnection>>;
let token: string;

/** Every answer of the generated requests, by status, and the ones that were 5xx (with what was sent). */
const statuses = new Map<number, number>();
const serverErrors: string[] = [];
/** Control orders sent between the generated cases: each must end up stored, whatever came around it. */
const controls: { platform: "shopify" | "woocommerce" | "api"; orderId: string }[] = [];
let controlCounter = 0;

beforeAll(async () => {
  shop = await seedShop();
  woo = await createConnection(db(), shop.shopId, { platform: "woocommerce", name: "Woo", baseUrl: "https://woo.example" });
  magento = await createConnection(db(), shop.shopId, { platform: "magento", name: "Magento" });
  token = (
    await createApiToken(db(), shop.shopId, "fuzz", [
      "orders:write",
      "orders:read",
      "distributors:read",
      "distributors:write",
      "ledger:read",
      "periods:read",
      "plans:read",
      "payouts:read",
    ])
  ).token;
});

afterAll(() => {
  process.stdout.write(
    `fuzz: ${FUZZ_RUNS} cases per route; answers by status ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; ${controls.length} control orders\n`,
  );
});

async function send(request: RawRequest): Promise<RawResponse> {
  const response = await rawRequest(app.server.url, request);
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  if (response.status >= 500)
    serverErrors.push(
      `${response.status} ${request.method ?? "POST"} ${request.path} ${JSON.stringify(request.headers)} ${String(request.body).slice(0, 300)} → ${response.body.slice(0, 300)}`,
    );
  return response;
}

/** Every fifth generated case, one valid order on a platform chosen in turn, through the real route. */
async function maybeControl(): Promise<void> {
  controlCounter += 1;
  if (controlCounter % 5 !== 0) return;
  const orderId = String(7_157_000_000 + controlCounter);
  const kind = (["shopify", "woocommerce", "api"] as const)[(controlCounter / 5) % 3]!;
  let response: Response;
  if (kind === "shopify") {
    response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(orderBody(orderId)));
  } else if (kind === "woocommerce") {
    response = await fetch(
      `${app.server.url}${woo.ingestPath}`,
      wooCommerceDelivery(JSON.stringify({ ...wooCommerceOrderFor(SPRING_BASKET), id: Number(orderId) }), woo.webhookSecret),
    );
  } else {
    response = await fetch(`${app.server.url}/api/v1/orders`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "Idempotency-Key": randomUUID() },
      body: JSON.stringify({
        platform_order_id: orderId,
        currency: "USD",
        referrer_id: "JANE01",
        items: [{ sku: "IPOD2008PINK", quantity: 1, unit_price: "19.99" }],
      }),
    });
  }
  expect(response.status, `control ${kind} ${orderId}`).toBeLessThan(300);
  controls.push({ platform: kind, orderId });
}

const runs = { numRuns: FUZZ_RUNS };
/** Asserts the current route's cases had no 5xx (the first few are shown), and starts afresh for the next route. */
const noServerErrors = () => {
  const found = serverErrors.splice(0);
  expect(found.slice(0, 5), `${found.length} answers were 5xx`).toEqual([]);
};

const SHOPIFY_TOPICS = [
  "orders/paid",
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "refunds/create",
  "customers/create",
  "app/uninstalled",
  "shop/update",
  "shop/redact",
  "customers/redact",
  "customers/data_request",
];

describe("generated malformed input never gets a 5xx", () => {
  it("POST /ingest/shopify (signed with the app secret)", async () => {
    const template = fc.constantFrom(
      parseJsonLossless(orderBody("7157100001")),
      parseJsonLossless(refundBody("7157100001", "7157100901", [LINE_A])),
      JSON.parse(fixtureText("shopify", "customers_create.sample.trigger-dev.json")),
    );
    const delivery = fc.record({
      body: template.chain((value) => bodyFor(value)),
      topic: headerValue(SHOPIFY_TOPICS),
      shop: headerValue([TEST_SHOP, TEST_SHOP, TEST_SHOP, "unknown.myshopify.com"]),
      webhookId: headerValue([randomUUID()]).map((id) => (id === "" ? randomUUID() : id)),
      triggeredAt: headerValue([new Date().toISOString()]),
      apiVersion: headerValue(["2026-10"]),
    });
    await fc.assert(
      fc.asyncProperty(delivery, async ({ body, topic, shop: domain, webhookId, triggeredAt, apiVersion }) => {
        await send({
          path: "/ingest/shopify",
          body,
          headers: {
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Shop-Domain": domain,
            "X-Shopify-Webhook-Id": webhookId,
            "X-Shopify-Triggered-At": triggeredAt,
            "X-Shopify-API-Version": apiVersion,
            "X-Shopify-Hmac-Sha256": signHmacSha256Base64(body, process.env.SHOPIFY_API_SECRET!),
          },
        });
        await maybeControl();
      }),
      runs,
    );
    noServerErrors();
  });

  it("POST /ingest/woocommerce/:id (signed with the connection's secret)", async () => {
    const template = fc.constantFrom(wooCommerceOrderFor(SPRING_BASKET), JSON.parse(fixtureText("woocommerce", "refund-726.wc-v3.docs.json")) as unknown, {
      id: 25,
      email: "a@example.com",
      role: "customer",
      date_created_gmt: "2026-01-01T00:00:00",
      meta_data: [],
    });
    const delivery = fc.record({
      body: template.chain((value) => bodyFor(value)),
      topic: fc.option(headerValue(["order.created", "order.updated", "refund.created", "customer.created", "order.deleted", "action.woocommerce_x"]), {
        nil: undefined,
      }),
    });
    await fc.assert(
      fc.asyncProperty(delivery, async ({ body, topic }) => {
        const headers: Record<string, string> = {
          "Content-Type": "application/json",
          "X-WC-Webhook-Signature": signHmacSha256Base64(body, woo.webhookSecret),
          "X-WC-Webhook-Delivery-ID": randomUUID(),
        };
        if (topic !== undefined) headers["X-WC-Webhook-Topic"] = topic;
        await send({ path: woo.ingestPath, body, headers });
        await maybeControl();
      }),
      runs,
    );
    noServerErrors();
  });

  it("POST /ingest/magento/:id (our module, signed with the connection's secret)", async () => {
    const template = fc.constantFrom<unknown>(
      { event: "order.placed", event_id: "fuzz-1", created_at: "2026-03-01T10:00:05Z", data: magentoOrderFor(SPRING_BASKET) },
      magentoOrderFor(SPRING_BASKET),
      { event: "customer_save_after", data: { value: { id: 3, email: "jdoe@example.com", created_at: "2026-01-01 00:00:00" } } },
    );
    const delivery = fc.record({
      body: template.chain((value) => bodyFor(value)),
      topic: fc.option(headerValue(["order.placed", "creditmemo.created", "customer_save_after", "sales_order_save_after"]), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(delivery, async ({ body, topic }) => {
        const headers: Record<string, string> = { "Content-Type": "application/json", "X-Upline-Signature": signHmacSha256Base64(body, magento.webhookSecret) };
        if (topic !== undefined) headers["X-Upline-Topic"] = topic;
        await send({ path: magento.ingestPath, body, headers });
        await maybeControl();
      }),
      runs,
    );
    noServerErrors();
  });

  it("/proxy (the storefront app proxy, signed with the app secret)", async () => {
    const param = fc.oneof(
      fc.constantFrom(...EDGE_VALUES.filter((value): value is string => typeof value === "string")),
      fc.string({ unit: "binary", maxLength: 30 }),
      fc.constantFrom("777001", "", TEST_SHOP),
    );
    const request = fc.record({
      shop: fc.oneof(fc.constant(TEST_SHOP), param),
      customer: param,
      ref: fc.option(param, { nil: undefined }),
      extra: fc.dictionary(fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 8 }), param, { maxKeys: 2 }),
      method: fc.constantFrom("GET", "POST"),
      form: bodyFor({ sponsor: "JANE01" }),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ shop: domain, customer, ref, extra, method, form }) => {
        const fields: Record<string, string> = {
          ...extra,
          shop: domain,
          path_prefix: "/apps/upline",
          timestamp: String(Math.floor(Date.now() / 1000)),
          logged_in_customer_id: customer,
        };
        if (ref !== undefined) fields.ref = ref;
        delete fields.signature;
        const message = Object.keys(fields)
          .sort()
          .map((key) => `${key}=${fields[key]}`)
          .join("");
        const query = new URLSearchParams({ ...fields, signature: createHmac("sha256", process.env.SHOPIFY_API_SECRET!).update(message).digest("hex") });
        await send({
          method,
          path: `/proxy?${query.toString()}`,
          ...(method === "POST" ? { body: form, headers: { "Content-Type": "application/x-www-form-urlencoded" } } : {}),
        });
        await maybeControl();
      }),
      runs,
    );
    noServerErrors();
  });

  it("POST /api/v1/orders and /api/v1/distributors (a valid token)", async () => {
    const order = {
      platform_order_id: "7157200001",
      currency: "USD",
      customer_id: "1",
      referrer_id: "JANE01",
      ordered_at: "2026-03-01T10:00:00Z",
      items: [{ sku: "IPOD2008PINK", quantity: 2, unit_price: "25.00", discount: "5.00", tax: "3.60" }],
      shipping: "7.50",
    };
    const distributor = {
      external_id: "x-1",
      email: "x@example.com",
      name: "X",
      code: "XCODE",
      sponsor: "JANE01",
      enrolled_at: "2026-03-01T10:00:00Z",
      customer: { platform: "shopify", id: "1" },
    };
    const request = fc.record({
      route: fc.constantFrom(
        "/api/v1/orders",
        "/api/v1/distributors",
        `/api/v1/distributors/${shop?.ids.JANE01 ?? "JANE01"}/moves`,
        "/api/v1/orders/7157200001/refunds",
        "/api/v1/plans/what-if",
        "/api/v1/periods/close",
      ),
      body: fc
        .constantFrom<unknown>(
          order,
          distributor,
          { tree: "sponsor", new_sponsor: "ROOT", effective_from: "2026-03-01T10:00:00Z", reason: "fuzz" },
          { orders: [order] },
        )
        .chain((value) => bodyFor(value)),
      key: headerValue([randomUUID(), randomUUID()]),
      contentType: headerValue(["application/json"]),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ route, body, key, contentType }) => {
        await send({
          path: route.replace("JANE01", shop.ids.JANE01!),
          body,
          headers: { "Content-Type": contentType, Authorization: `Bearer ${token}`, "Idempotency-Key": key },
        });
        await maybeControl();
      }),
      runs,
    );
    noServerErrors();
  });

  it("GET /api/v1 reads with generated ids, cursors and query parameters", async () => {
    const routes = [
      "/api/v1/distributors",
      "/api/v1/distributors/{id}",
      "/api/v1/distributors/{id}/upline",
      "/api/v1/distributors/{id}/downline",
      "/api/v1/distributors/{id}/ledger",
      "/api/v1/distributors/{id}/export",
      "/api/v1/orders/{id}/commissions",
      "/api/v1/periods",
      "/api/v1/periods/{id}",
      "/api/v1/payout-runs",
      "/api/v1/reconciliation",
    ];
    const value = fc.oneof(
      fc.constantFrom(...EDGE_VALUES.filter((edge): edge is string => typeof edge === "string")),
      fc.string({ unit: "binary", maxLength: 30 }),
      fc.constantFrom("10", "0", "-1", "201", "2026-03-01T00:00:00Z"),
    );
    const request = fc.record({
      route: fc.constantFrom(...routes),
      id: fc.oneof(pathSegment, fc.constant("JANE01")),
      query: fc.dictionary(
        fc.constantFrom("search", "limit", "after", "cursor", "at", "levels", "depth", "from", "to", "status", "date", "currency", "page"),
        value,
        { maxKeys: 3 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ route, id, query }) => {
        await send({
          method: "GET",
          path: `${route.replace("{id}", id === "JANE01" ? shop.ids.JANE01! : id)}?${new URLSearchParams(query).toString()}`,
          headers: { Authorization: `Bearer ${token}` },
        });
        await maybeControl();
      }),
      runs,
    );
    noServerErrors();
  });

  it("raw URL paths that do not decode (every surface)", async () => {
    const prefix = fc.constantFrom(
      "/ingest/",
      "/ingest/woocommerce/",
      "/ingest/magento/",
      "/api/v1/distributors/",
      "/api/v1/orders/",
      "/app/distributors/",
      "/proxy/",
      "/",
      "/healthz/",
      "/metrics/",
      "/auth/",
      "/assets/",
    );
    await fc.assert(
      fc.asyncProperty(prefix, fc.array(pathSegment, { minLength: 1, maxLength: 3 }), fc.constantFrom("GET", "POST"), async (start, segments, method) => {
        await send({
          method,
          path: `${start}${segments.join("/")}`,
          headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
          ...(method === "POST" ? { body: "{}" } : {}),
        });
        await maybeControl();
      }),
      runs,
    );
    noServerErrors();
  });
});

describe("what the fuzzer found, kept as fixed cases", () => {
  it("an undecodable or NUL path is a 400 problem on every surface (was 500)", async () => {
    for (const path of [
      "/ingest/woocommerce/%E0%A4%A",
      "/api/v1/distributors/%zz/downline",
      "/healthz/%",
      "/metrics/%FF%FE",
      "/assets/%",
      "/app/distributors/%C0%AE",
      "/api/v1/orders/%00/commissions",
      "/%00",
    ]) {
      for (const method of ["GET", "POST"]) {
        const response = await send({ method, path, headers: { Authorization: `Bearer ${token}` }, ...(method === "POST" ? { body: "{}" } : {}) });
        expect(response.status, `${method} ${path}`).toBe(400);
        expect(JSON.parse(response.body)).toMatchObject({ type: "urn:upline:problem:malformed-path", status: 400 });
      }
    }
  });

  it("a signed app proxy request whose shop or customer id is not of Shopify's shape is a 400 (was 500)", async () => {
    const signed = (fields: Record<string, string>) => {
      const message = Object.keys(fields)
        .sort()
        .map((key) => `${key}=${fields[key]}`)
        .join("");
      return `/proxy?${new URLSearchParams({ ...fields, signature: createHmac("sha256", process.env.SHOPIFY_API_SECRET!).update(message).digest("hex") }).toString()}`;
    };
    const base = { path_prefix: "/apps/upline", timestamp: String(Math.floor(Date.now() / 1000)) };
    for (const fields of [
      { shop: "", logged_in_customer_id: "" },
      { shop: "tt", logged_in_customer_id: "1" },
      { shop: TEST_SHOP, logged_in_customer_id: "\u0000" },
      { shop: TEST_SHOP, logged_in_customer_id: "1e21" },
    ]) {
      expect((await send({ method: "GET", path: signed({ ...base, ...fields }) })).status, JSON.stringify(fields)).toBe(400);
    }
    // A sponsor code no one can have (NUL, too long) is answered on the page, not with a 500.
    const join = await send({
      path: signed({ ...base, shop: TEST_SHOP, logged_in_customer_id: "7157999001" }),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "sponsor=a%00b",
    });
    expect(join.status).toBe(200);
    expect(join.body).toContain("No affiliate has that code");
    serverErrors.splice(0);
  });
});

describe("after the generated input", () => {
  it("every control order sent between the generated cases was processed", async () => {
    expect(controls.length).toBeGreaterThan(0);
    const platformOf = { shopify: "shopify", woocommerce: "woocommerce", api: "api" } as const;
    for (const { platform, orderId } of controls) {
      await waitUntil(
        () => db().order.findFirst({ where: { shopId: shop.shopId, platform: platformOf[platform], platformOrderId: orderId } }),
        60_000,
        `control ${platform} order ${orderId}`,
      );
    }
  });

  it("the worker met every stored generated delivery without crashing on it", async () => {
    const unsettled = () =>
      db().webhookEvent.findMany({
        where: { status: { in: ["pending", "processing", "failed"] } },
        select: { platform: true, topic: true, status: true, lastError: true, rawBody: true },
      });
    await waitUntil(async () => (await unsettled()).length === 0, 45_000, "the inbox to settle").catch(() => undefined);
    const crashed = [
      ...(await unsettled()),
      ...(await db().webhookEvent.findMany({
        where: { status: "dead", NOT: { lastError: { startsWith: "invalid payload" } } },
        select: { platform: true, topic: true, status: true, lastError: true, rawBody: true },
      })),
    ];
    expect(
      crashed.slice(0, 3).map((row) => `${row.platform} ${row.topic} ${row.status}: ${row.lastError?.slice(0, 600)}\n${row.rawBody.slice(0, 300)}`),
      `${crashed.length} rows`,
    ).toEqual([]);
  }, 90_000);
});
