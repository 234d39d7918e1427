/**
 * A local Shopify Admin GraphQL API that answers like the real one (shopify.dev: GraphQL Admin API rate limits,
 * bulk operations, BulkOperation, orders, ordersCount, products):
 *   - POST /admin/api/<version>/graphql.json with X-Shopify-Access-Token (else 401);
 *   - a leaky bucket per fake (maximumAvailable, restoreRate), every answer carrying extensions.cost with
 *     requestedQueryCost, actualQueryCost and throttleStatus; a query the bucket cannot afford is refused with
 *     errors [{ message: "Throttled", extensions: { code: "THROTTLED" } }] and actualQueryCost null, and one
 *     above the single-query maximum (1,000 points) with MAX_COST_EXCEEDED;
 *   - faults, consumed in order by the next GraphQL requests: "throttled", "429" (Retry-After: 1), "5xx";
 *   - orders(query, first, after, sortKey) and ordersCount(query) over its orders, filtered by `updated_at:>=`;
 *   - bulkOperationRunQuery (one running query operation at a time, else OPERATION_IN_PROGRESS), polled through
 *     node(id) / bulkOperation(id) / currentBulkOperation, RUNNING for `bulkPolls` polls then COMPLETED with a `url` to the
 *     JSONL result (GET, no token: the signed URL is the credential), grouped: each order, then its line items and
 *     shipping lines with __parentId;
 *   - products(first, after) with variants;
 *   - POST /admin/oauth/access_token with grant_type=refresh_token (expiring offline tokens: shopify.dev "Offline
 *     access tokens", refresh): the refresh token it holds (`refreshToken`) buys a new access token, which it then
 *     accepts beside the first, and a new refresh token (the old one stops working); anything else is 400
 *     invalid_grant;
 *   - discountCodeBasicCreate, discountCodeDeactivate, discountCodeActivate and discountCodeDelete over its discounts (see
 *     `discounts`), a code already taken answered with userErrors as Shopify does.
 * It does not parse GraphQL: it recognizes each query by its root field, which is all Upline sends.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { GraphqlOrder } from "~/domain/shopify-admin/graphql-order";

export type AdminFault = "throttled" | "429" | "5xx";

export interface OrderSource {
  size(): number;
  get(index: number): GraphqlOrder;
}

export interface FakeProduct {
  id: string;
  title: string;
  tags: string[];
  updatedAt: string;
  variants: { id: string; sku: string | null; title: string }[];
}

export interface RecordedRequest {
  readonly root: string;
  readonly variables: Record<string, unknown>;
  readonly status: number;
  readonly throttled: boolean;
  readonly at: number;
}

interface BulkOperation {
  id: string;
  query: string;
  polls: number;
  orders: number[];
}

export interface FakeShopifyAdmin {
  readonly url: string;
  /** SHOPIFY_ADMIN_API_URL for a client pointed at this fake. */
  readonly apiUrl: string;
  readonly faults: AdminFault[];
  readonly requests: RecordedRequest[];
  orders: OrderSource;
  products: FakeProduct[];
  bucket: { maximumAvailable: number; restoreRate: number };
  /** Polls a bulk operation stays RUNNING before it completes. */
  bulkPolls: number;
  /** What each orders page costs per order requested (the order with its nested line items). */
  costPerOrder: number;
  bulkOperations(): number;
  /** The refresh token the fake's OAuth endpoint accepts (null: none). */
  refreshToken: string | null;
  /** Refresh grants it answered, in order. */
  readonly refreshes: { refreshToken: string; clientId: string; issued: string | null }[];
  /** Discount codes by id, as discountCode* mutations left them. */
  readonly discounts: Map<string, FakeDiscount>;
  close(): Promise<void>;
}

export interface FakeDiscount {
  id: string;
  title: string;
  code: string;
  status: "ACTIVE" | "EXPIRED" | "SCHEDULED";
  input: Record<string, unknown>;
}

export function arraySource(orders: GraphqlOrder[]): OrderSource {
  return { size: () => orders.length, get: (index) => orders[index]! };
}

const updatedSince = (query: unknown): number | null => {
  const match = /updated_at:>=\s*'?"?([^'" )]+)/.exec(String(query ?? ""));
  return match?.[1] ? Date.parse(match[1]) : null;
};

function jsonlOf(order: GraphqlOrder): string {
  const { lineItems, shippingLines, ...own } = order;
  const lines = [JSON.stringify(own)];
  for (const node of lineItems?.nodes ?? []) lines.push(JSON.stringify({ ...node, __parentId: order.id }));
  for (const node of shippingLines?.nodes ?? []) lines.push(JSON.stringify({ ...node, __parentId: order.id }));
  return `${lines.join("\n")}\n`;
}

export async function startFakeShopifyAdmin(accessToken: string, options: { orders?: GraphqlOrder[] } = {}): Promise<FakeShopifyAdmin> {
  let base = "";
  const faults: AdminFault[] = [];
  const requests: RecordedRequest[] = [];
  const operations = new Map<string, BulkOperation>();
  let operationCount = 0;
  let running: BulkOperation | null = null;
  const state = {
    orders: arraySource(options.orders ?? []),
    products: [] as FakeProduct[],
    bucket: { maximumAvailable: 2_000, restoreRate: 100 },
    bulkPolls: 1,
    costPerOrder: 5,
  };
  let available = state.bucket.maximumAvailable;
  const accepted = new Set([accessToken]);
  const refresh = { token: null as string | null, issuedCount: 0 };
  const refreshes: FakeShopifyAdmin["refreshes"] = [];
  const discounts = new Map<string, FakeDiscount>();
  let discountCount = 0;
  let lastRefill = Date.now();

  const refill = () => {
    const now = Date.now();
    available = Math.min(state.bucket.maximumAvailable, available + ((now - lastRefill) / 1_000) * state.bucket.restoreRate);
    lastRefill = now;
  };
  const costExtension = (requested: number, actual: number | null) => ({
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: actual,
      throttleStatus: { maximumAvailable: state.bucket.maximumAvailable, currentlyAvailable: Math.floor(available), restoreRate: state.bucket.restoreRate },
    },
  });

  const matchingOrders = (query: unknown): number[] => {
    const since = updatedSince(query);
    const indexes: number[] = [];
    for (let index = 0; index < state.orders.size(); index++) {
      if (since === null || Date.parse(state.orders.get(index).updatedAt) >= since) indexes.push(index);
    }
    return indexes;
  };

  const operationJson = (operation: BulkOperation) => {
    const done = operation.polls >= state.bulkPolls;
    return {
      id: operation.id,
      status: done ? "COMPLETED" : "RUNNING",
      errorCode: null,
      objectCount: String(done ? operation.orders.length * 4 : 0),
      rootObjectCount: String(done ? operation.orders.length : 0),
      url: done && operation.orders.length > 0 ? `${base}/bulk/${encodeURIComponent(operation.id)}.jsonl` : null,
      partialDataUrl: null,
    };
  };

  /** The data of one query and what it cost; null for a root the fake does not know. */
  function answer(query: string, variables: Record<string, unknown>): { root: string; cost: number; data: unknown } | null {
    if (query.includes("discountCodeBasicCreate(")) {
      const input = (variables.basicCodeDiscount ?? {}) as Record<string, unknown>;
      const code = String(input.code ?? "");
      const taken = [...discounts.values()].some((discount) => discount.code.toLowerCase() === code.toLowerCase());
      if (!code || taken) {
        return {
          root: "discountCodeBasicCreate",
          cost: 10,
          data: {
            discountCodeBasicCreate: {
              codeDiscountNode: null,
              userErrors: [
                code
                  ? { field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" }
                  : { field: ["basicCodeDiscount", "code"], message: "Code can't be blank", code: "BLANK" },
              ],
            },
          },
        };
      }
      discountCount++;
      const discount: FakeDiscount = {
        id: `gid://shopify/DiscountCodeNode/${9_000 + discountCount}`,
        title: String(input.title ?? code),
        code,
        status: "ACTIVE",
        input,
      };
      discounts.set(discount.id, discount);
      return {
        root: "discountCodeBasicCreate",
        cost: 10,
        data: {
          discountCodeBasicCreate: {
            codeDiscountNode: { id: discount.id, codeDiscount: { title: discount.title, status: discount.status, codes: { nodes: [{ code }] } } },
            userErrors: [],
          },
        },
      };
    }
    if (query.includes("discountCodeDeactivate(") || query.includes("discountCodeActivate(") || query.includes("discountCodeDelete(")) {
      const root = query.includes("discountCodeDeactivate(")
        ? "discountCodeDeactivate"
        : query.includes("discountCodeActivate(")
          ? "discountCodeActivate"
          : "discountCodeDelete";
      const discount = discounts.get(String(variables.id));
      if (!discount) {
        return { root, cost: 10, data: { [root]: { userErrors: [{ field: ["id"], message: "Discount does not exist", code: "INVALID" }] } } };
      }
      if (root === "discountCodeDelete") {
        discounts.delete(discount.id);
        return { root, cost: 10, data: { discountCodeDelete: { deletedCodeDiscountId: discount.id, userErrors: [] } } };
      }
      discount.status = "EXPIRED";
      return {
        root,
        cost: 10,
        data: {
          discountCodeDeactivate: { codeDiscountNode: { id: discount.id, codeDiscount: { title: discount.title, status: discount.status } }, userErrors: [] },
        },
      };
    }
    if (query.includes("bulkOperationRunQuery(")) {
      if (running && running.polls < state.bulkPolls) {
        return {
          root: "bulkOperationRunQuery",
          cost: 10,
          data: {
            bulkOperationRunQuery: {
              bulkOperation: null,
              userErrors: [{ field: null, message: "A bulk query operation for this app and shop is already in progress.", code: "OPERATION_IN_PROGRESS" }],
            },
          },
        };
      }
      const inner = String(variables.query ?? "");
      operationCount++;
      const operation: BulkOperation = { id: `gid://shopify/BulkOperation/${1_000 + operationCount}`, query: inner, polls: 0, orders: matchingOrders(inner) };
      operations.set(operation.id, operation);
      running = operation;
      return {
        root: "bulkOperationRunQuery",
        cost: 10,
        data: { bulkOperationRunQuery: { bulkOperation: { id: operation.id, status: "CREATED" }, userErrors: [] } },
      };
    }
    if (query.includes("bulkOperation(") || query.includes("currentBulkOperation") || query.includes("node(id:")) {
      const operation = query.includes("currentBulkOperation") ? running : operations.get(String(variables.id));
      if (operation) operation.polls++;
      const key = query.includes("currentBulkOperation") ? "currentBulkOperation" : query.includes("node(id:") ? "node" : "bulkOperation";
      return { root: key, cost: 1, data: { [key]: operation ? operationJson(operation) : null } };
    }
    if (query.includes("ordersCount(")) {
      return { root: "ordersCount", cost: 1, data: { ordersCount: { count: matchingOrders(variables.query).length, precision: "EXACT" } } };
    }
    if (query.includes("orders(")) {
      const first = Math.min(250, Number(variables.first ?? 50));
      const all = matchingOrders(variables.query);
      const start = variables.after ? Number(Buffer.from(String(variables.after), "base64url").toString()) : 0;
      const page = all.slice(start, start + first);
      const end = start + page.length;
      return {
        root: "orders",
        cost: 2 + first * state.costPerOrder,
        data: {
          orders: {
            // The nested connections as a page query asks for them: every line on the first page.
            nodes: page.map((index) => {
              const order = state.orders.get(index);
              return { ...order, lineItems: { pageInfo: { hasNextPage: false }, nodes: order.lineItems?.nodes ?? [] } };
            }),
            pageInfo: { hasNextPage: end < all.length, endCursor: page.length > 0 ? Buffer.from(String(end)).toString("base64url") : null },
          },
        },
      };
    }
    if (query.includes("products(")) {
      const first = Math.min(250, Number(variables.first ?? 50));
      const start = variables.after ? Number(Buffer.from(String(variables.after), "base64url").toString()) : 0;
      const page = state.products.slice(start, start + first);
      const end = start + page.length;
      return {
        root: "products",
        cost: 2 + first * 3,
        data: {
          products: {
            nodes: page.map((product) => ({ ...product, variants: { nodes: product.variants } })),
            pageInfo: { hasNextPage: end < state.products.length, endCursor: page.length > 0 ? Buffer.from(String(end)).toString("base64url") : null },
          },
        },
      };
    }
    return null;
  }

  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  }

  function streamBulkResult(res: ServerResponse, operation: BulkOperation) {
    res.writeHead(200, { "Content-Type": "application/jsonl" });
    let next = 0;
    const pump = () => {
      while (next < operation.orders.length) {
        let chunk = "";
        for (let i = 0; i < 200 && next < operation.orders.length; i++, next++) chunk += jsonlOf(state.orders.get(operation.orders[next]!));
        if (!res.write(chunk)) {
          res.once("drain", pump);
          return;
        }
      }
      res.end();
    };
    pump();
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", base).pathname;
      const bulkFile = /^\/bulk\/(.+)\.jsonl$/.exec(path);
      if (req.method === "GET" && bulkFile) {
        const operation = operations.get(decodeURIComponent(bulkFile[1]!));
        if (!operation) return sendJson(res, 404, { errors: "Not Found" });
        return streamBulkResult(res, operation);
      }
      if (req.method === "POST" && path === "/admin/oauth/access_token") {
        let grant: Record<string, string> = {};
        try {
          grant = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, string>;
        } catch {
          // answered below as an invalid grant
        }
        const valid = grant.grant_type === "refresh_token" && refresh.token !== null && grant.refresh_token === refresh.token && Boolean(grant.client_secret);
        const issued = valid ? `shpat_refreshed_${++refresh.issuedCount}` : null;
        refreshes.push({ refreshToken: String(grant.refresh_token ?? ""), clientId: String(grant.client_id ?? ""), issued });
        if (!issued) return sendJson(res, 400, { error: "invalid_grant", error_description: "The refresh token is invalid or expired." });
        accepted.add(issued);
        refresh.token = `shprt_rotated_${refresh.issuedCount}`;
        return sendJson(res, 200, {
          access_token: issued,
          scope: "read_orders,read_products,write_discounts",
          expires_in: 3_600,
          refresh_token: refresh.token,
          refresh_token_expires_in: 7_776_000,
        });
      }
      if (req.method !== "POST" || !/\/admin\/api\/[\w-]+\/graphql\.json$/.test(path)) return sendJson(res, 404, { errors: "Not Found" });
      if (!accepted.has(String(req.headers["x-shopify-access-token"] ?? ""))) {
        requests.push({ root: "(unauthenticated)", variables: {}, status: 401, throttled: false, at: Date.now() });
        return sendJson(res, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
      }
      let parsed: { query?: string; variables?: Record<string, unknown> };
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof parsed;
      } catch {
        return sendJson(res, 400, { errors: { query: "Required parameter missing or invalid" } });
      }
      const query = String(parsed.query ?? "");
      const variables = parsed.variables ?? {};
      const record = (root: string, status: number, throttled = false) => requests.push({ root, variables, status, throttled, at: Date.now() });

      const fault = faults.shift();
      if (fault === "5xx") {
        record("(fault)", 503);
        return sendJson(res, 503, { errors: "Service Unavailable" });
      }
      if (fault === "429") {
        record("(fault)", 429);
        return sendJson(
          res,
          429,
          { errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." },
          { "Retry-After": "1" },
        );
      }
      const result = answer(query, variables);
      if (!result) {
        record("(unknown)", 200);
        return sendJson(res, 200, { errors: [{ message: "Field doesn't exist on type 'QueryRoot'", extensions: { code: "undefinedField" } }] });
      }
      if (result.cost > 1_000) {
        // Shopify's single-query maximum, whatever the bucket holds.
        record(result.root, 200);
        return sendJson(res, 200, {
          errors: [
            {
              message: `Query cost is ${result.cost}, which exceeds the single query max cost limit (1000).`,
              extensions: { code: "MAX_COST_EXCEEDED", cost: result.cost, maxCost: 1_000 },
            },
          ],
          extensions: costExtension(result.cost, null),
        });
      }
      refill();
      if (fault === "throttled" || result.cost > available) {
        record(result.root, 200, true);
        return sendJson(res, 200, {
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
          extensions: costExtension(result.cost, null),
        });
      }
      available -= result.cost;
      record(result.root, 200);
      return sendJson(res, 200, { data: result.data, extensions: costExtension(result.cost, result.cost) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    apiUrl: `${base}/admin/api/{version}/graphql.json`,
    faults,
    requests,
    get orders() {
      return state.orders;
    },
    set orders(source: OrderSource) {
      state.orders = source;
    },
    get products() {
      return state.products;
    },
    set products(list: FakeProduct[]) {
      state.products = list;
    },
    get bucket() {
      return state.bucket;
    },
    set bucket(value: { maximumAvailable: number; restoreRate: number }) {
      // A new plan's bucket, full.
      state.bucket = value;
      available = value.maximumAvailable;
      lastRefill = Date.now();
    },
    get bulkPolls() {
      return state.bulkPolls;
    },
    set bulkPolls(value: number) {
      state.bulkPolls = value;
    },
    get costPerOrder() {
      return state.costPerOrder;
    },
    set costPerOrder(value: number) {
      state.costPerOrder = value;
    },
    bulkOperations: () => operationCount,
    get refreshToken() {
      return refresh.token;
    },
    set refreshToken(value: string | null) {
      refresh.token = value;
    },
    refreshes,
    discounts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
