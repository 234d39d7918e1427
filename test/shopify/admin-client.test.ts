/**
 * The Admin API client against the local fake that answers like Shopify: it waits for the bucket instead of
 * being throttled, backs off on THROTTLED, 429 (Retry-After) and 5xx and resumes, never retries a mutation whose
 * outcome is unknown, and names auth failures, GraphQL errors and userErrors.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AdminApiAuthError,
  AdminApiGraphqlError,
  AdminApiUnavailableError,
  AdminApiUserErrors,
  assertNoUserErrors,
  ShopifyAdminClient,
} from "~/services/shopify/admin-client.server";
import { generatedGraphqlOrder } from "../support/fakes/shopify-graphql-orders";
import { arraySource, startFakeShopifyAdmin, type FakeShopifyAdmin } from "../support/fakes/shopify-admin";

const SHOP = "throttle-test.myshopify.com";
const ORDERS_PAGE = `query Page($first: Int!, $after: String) { orders(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`;
const COUNT = `query Count($query: String) { ordersCount(query: $query) { count precision } }`;
const RUN_BULK = `mutation Run($query: String!) { bulkOperationRunQuery(query: $query, groupObjects: true) { bulkOperation { id status } userErrors { field message code } } }`;

let fake: FakeShopifyAdmin;
let waits: number[];

function client(overrides: ConstructorParameters<typeof ShopifyAdminClient>[0] = {}) {
  return new ShopifyAdminClient({
    apiUrl: fake.apiUrl,
    accessToken: async () => "shpat_admin_fake",
    backoff: { baseMs: 40, maxMs: 400 },
    sleep: (ms) => {
      waits.push(ms);
      return new Promise((resolve) => setTimeout(resolve, ms));
    },
    ...overrides,
  });
}

beforeAll(async () => {
  fake = await startFakeShopifyAdmin("shpat_admin_fake", { orders: Array.from({ length: 40 }, (_, n) => generatedGraphqlOrder(n)) });
});
afterAll(async () => fake?.close());
beforeEach(() => {
  waits = [];
  fake.requests.length = 0;
  fake.faults.length = 0;
});

describe("Admin API client: rate limits", () => {
  it("waits for the bucket before a query it cannot afford yet, so Shopify never has to throttle it", async () => {
    fake.bucket = { maximumAvailable: 100, restoreRate: 50 };
    fake.costPerOrder = 5; // a page of 10 costs 52 points
    const admin = client();
    const started = Date.now();
    let after: string | null = null;
    for (let page = 0; page < 4; page++) {
      const page: { data: { orders: { pageInfo: { endCursor: string } } } } = await admin.graphql(SHOP, ORDERS_PAGE, { first: 10, after });
      after = page.data.orders.pageInfo.endCursor;
    }
    const elapsed = Date.now() - started;
    expect(fake.requests.filter((request) => request.throttled)).toEqual([]);
    expect(fake.requests.filter((request) => request.root === "orders")).toHaveLength(4);
    // 208 points from a bucket of 100 at 50/s: at least ~2.1 s of waiting, spent before sending, not after a refusal.
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(admin.throttleStatus(SHOP)).toMatchObject({ maximumAvailable: 100, restoreRate: 50 });
  });

  it("backs off on a THROTTLED answer and resumes with the same query", async () => {
    fake.bucket = { maximumAvailable: 2_000, restoreRate: 100 };
    fake.faults.push("throttled", "throttled");
    const { data, retries } = await client().graphql<{ ordersCount: { count: number } }>(SHOP, COUNT, { query: "updated_at:>='2026-11-01T00:00:10Z'" });
    expect(data.ordersCount.count).toBe(30);
    expect(retries).toBe(2);
    expect(fake.requests.map((request) => [request.root, request.throttled])).toEqual([
      ["ordersCount", true],
      ["ordersCount", true],
      ["ordersCount", false],
    ]);
    expect(waits).toEqual([250, 250]); // the refused query fits at once: the shortest wait
  });

  it("honours Retry-After on HTTP 429, and retries a query after a 5xx", async () => {
    fake.faults.push("429", "5xx");
    const started = Date.now();
    const { data, retries } = await client().graphql<{ ordersCount: { count: number } }>(SHOP, COUNT, {});
    expect(data.ordersCount.count).toBe(40);
    expect(retries).toBe(2);
    expect(waits[0]).toBe(400); // Retry-After: 1 s, capped by this client's 400 ms maximum
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(fake.requests.map((request) => request.status)).toEqual([429, 503, 200]);
  });

  it("gives up after its attempts with the last status", async () => {
    fake.faults.push("5xx", "5xx", "5xx");
    const error = await client({ maxAttempts: 3 })
      .graphql(SHOP, COUNT, {})
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdminApiUnavailableError);
    expect(error).toMatchObject({ status: 503, outcomeUnknown: false });
    expect(fake.requests).toHaveLength(3);
  });

  it("never retries a mutation after a 5xx: it may have run", async () => {
    fake.faults.push("5xx");
    const error = await client()
      .graphql(SHOP, RUN_BULK, { query: "{ orders { edges { node { id } } } }" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdminApiUnavailableError);
    expect((error as AdminApiUnavailableError).outcomeUnknown).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });
});

describe("Admin API client: errors by name", () => {
  it("refuses a wrong token as an auth error, without retrying", async () => {
    const error = await client({ accessToken: async () => "shpat_wrong" })
      .graphql(SHOP, COUNT, {})
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdminApiAuthError);
    expect((error as AdminApiAuthError).status).toBe(401);
    expect(fake.requests).toHaveLength(1);
    await expect(client({ accessToken: async () => null }).graphql(SHOP, COUNT, {})).rejects.toThrow(/no offline Admin API session/);
  });

  it("reports GraphQL errors and userErrors with Shopify's messages", async () => {
    await expect(client().graphql(SHOP, "query { nothingHere { id } }", {})).rejects.toBeInstanceOf(AdminApiGraphqlError);
    fake.bulkPolls = 5;
    fake.orders = arraySource([generatedGraphqlOrder(1)]);
    const admin = client();
    const first = await admin.graphql<{ bulkOperationRunQuery: { userErrors: [] } }>(SHOP, RUN_BULK, { query: "{ orders { edges { node { id } } } }" });
    expect(() => assertNoUserErrors("bulkOperationRunQuery", SHOP, first.data.bulkOperationRunQuery)).not.toThrow();
    const second = await admin.graphql<{ bulkOperationRunQuery: { userErrors: { code: string; message: string }[] } }>(SHOP, RUN_BULK, {
      query: "{ orders { edges { node { id } } } }",
    });
    let thrown: unknown;
    try {
      assertNoUserErrors("bulkOperationRunQuery", SHOP, second.data.bulkOperationRunQuery);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AdminApiUserErrors);
    expect((thrown as Error).message).toMatch(/^bulkOperationRunQuery: OPERATION_IN_PROGRESS: A bulk query operation/);
  });
});
