/**
 * Odd input is a 4xx problem+json naming the field, never a 500 (issue 15, defects 6 and 8): orders the worker
 * could never process are refused at the door; year-0000/9999 dates on every endpoint that takes one; NUL and
 * broken unicode in names and search terms; invalid cursors; malformed percentages in a plan.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { distributorList } from "~/services/admin/distributors.server";
import { createApiToken, API_SCOPES } from "~/services/api/tokens.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { PERIOD_PLAN } from "../periods/plan";
import { startAppServer, type TestServer } from "../support/app-server";

let server: TestServer;
let token: string;
let shopId: string;
let janeId: string;

const headers = () => ({ Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": randomUUID() });
const post = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, { method: "POST", headers: headers(), body: typeof body === "string" ? body : JSON.stringify(body) });
const get = (path: string) => fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });

interface Problem {
  type: string;
  status: number;
  errors?: { field: string; message: string }[];
}

/** The response is the expected problem+json and its errors name `field`. */
async function expectFieldProblem(response: Response, status: number, field: string) {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = JSON.parse(text) as Problem;
  expect(body.type).toBe(status === 400 ? "urn:upline:problem:invalid-parameter" : "urn:upline:problem:validation-failed");
  expect(body.errors?.map((error) => error.field)).toContain(field);
}

beforeAll(async () => {
  server = await startAppServer();
  shopId = (await ensureShopifyShop(db(), "odd-input.myshopify.com")).id;
  token = (await createApiToken(db(), shopId, "everything", [...API_SCOPES])).token;
  const created = await post("/api/v1/distributors", { name: "Jane", email: "jane@example.com", code: "JANE01" });
  expect(created.status).toBe(201);
  janeId = ((await created.json()) as { id: string }).id;
});
afterAll(async () => server?.close());

const order = { platform_order_id: "ODD-1", currency: "USD", sku: "UPL-SHAKE", amount: "10.00" };

describe("POST /api/v1/orders refuses at the door what the worker could never process (defect 6)", () => {
  it.each([
    ["amount 1e21", '{"platform_order_id":"ODD-1","currency":"USD","sku":"X","amount":1e21}', "amount"],
    ["amount 1e-7", '{"platform_order_id":"ODD-1","currency":"USD","sku":"X","amount":1e-7}', "amount"],
    ["an amount beyond 64 bits", JSON.stringify({ ...order, amount: "92233720368547758.08" }), "amount"],
    [
      "a line total beyond 64 bits",
      JSON.stringify({ ...order, sku: undefined, amount: undefined, items: [{ sku: "X", quantity: 1_000_000, unit_price: "999999999999999" }] }),
      "items.0",
    ],
    ["an integer amount beyond 64 bits", '{"platform_order_id":"ODD-1","currency":"USD","sku":"X","amount":99999999999999999999}', "amount"],
    ["a NUL in the sku", JSON.stringify({ ...order, sku: "UPL\u0000SHAKE" }), "sku"],
    ["a lone surrogate in the order number", JSON.stringify({ ...order, order_number: "#1\ud800" }), "order_number"],
    ["ordered_at in year 0000", JSON.stringify({ ...order, ordered_at: "0000-01-01T00:00:00Z" }), "ordered_at"],
    ["ordered_at in year 9999", JSON.stringify({ ...order, ordered_at: "9999-12-31T23:59:59Z" }), "ordered_at"],
  ])("%s: 422 naming the field, nothing stored", async (_name, body, field) => {
    await expectFieldProblem(await post("/api/v1/orders", body), 422, field);
    expect(await db().webhookEvent.count({ where: { shopId } })).toBe(0);
  });

  it("still accepts a plain order (202)", async () => {
    expect((await post("/api/v1/orders", order)).status).toBe(202);
  });
});

describe("dates outside 1970–2199 are field errors on every endpoint that takes one (defect 8)", () => {
  it.each([
    ["GET upline ?at=", () => get(`/api/v1/distributors/${janeId}/upline?at=0000-01-01T00:00:00Z`), 400, "at"],
    ["GET downline ?at=", () => get(`/api/v1/distributors/${janeId}/downline?at=0000-01-01T00:00:00Z`), 400, "at"],
    ["GET reconciliation ?date=", () => get("/api/v1/reconciliation?date=0000-01-01"), 400, "date"],
    ["POST distributors enrolled_at", () => post("/api/v1/distributors", { name: "Old", enrolled_at: "0000-01-01T00:00:00Z" }), 422, "enrolled_at"],
    [
      "POST moves effective_from",
      () => post(`/api/v1/distributors/${janeId}/moves`, { tree: "sponsor", new_sponsor: "JANE01", effective_from: "0000-01-01T00:00:00Z", reason: "x" }),
      422,
      "effective_from",
    ],
    [
      "POST status effective_from",
      () => post(`/api/v1/distributors/${janeId}/status`, { status: "inactive", effective_from: "9999-12-31T23:59:59Z", reason: "x" }),
      422,
      "effective_from",
    ],
    ["POST periods/close period_start", () => post("/api/v1/periods/close", { period_start: "0000-01-01" }), 422, "period_start"],
    ["POST what-if period_start", () => post("/api/v1/plans/what-if", { plan: PERIOD_PLAN, orders: [order], period_start: "0000-01-01" }), 422, "period_start"],
    [
      "POST what-if orders[].ordered_at",
      () => post("/api/v1/plans/what-if", { plan: PERIOD_PLAN, orders: [{ ...order, ordered_at: "0000-01-01T00:00:00Z" }] }),
      422,
      "orders[0].ordered_at",
    ],
  ])("%s", async (_name, send, status, field) => {
    await expectFieldProblem(await send(), status, field);
  });
});

describe("NUL and broken unicode in names and search terms (defect 8)", () => {
  it("refuses a NUL or a lone surrogate in a distributor's name with 422 naming the field", async () => {
    await expectFieldProblem(await post("/api/v1/distributors", { name: "Jane\u0000Doe" }), 422, "name");
    await expectFieldProblem(await post("/api/v1/distributors", { name: "Jane\ud800" }), 422, "name");
    await expectFieldProblem(await post(`/api/v1/distributors/${janeId}/status`, { status: "inactive", reason: "bad\u0000reason" }), 422, "reason");
  });

  it("refuses a NUL in a search term with 400 naming the parameter; broken UTF-8 is searched as replacement characters", async () => {
    await expectFieldProblem(await get("/api/v1/distributors?search=ja%00ne"), 400, "search");
    expect((await get("/api/v1/distributors?search=%ED%A0%80")).status).toBe(200);
  });

  it("refuses a NUL search or a malformed cursor on the admin list with 400", async () => {
    for (const query of ["q=ja%00ne", "after=not-a-cursor"]) {
      const thrown = await distributorList(db(), shopId, new URLSearchParams(query)).then(
        () => null,
        (error: unknown) => error,
      );
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(400);
    }
  });
});

describe("invalid cursors and percentages (defect 8)", () => {
  it("refuses a ledger cursor past a bigint with 400", async () => {
    await expectFieldProblem(await get(`/api/v1/distributors/${janeId}/ledger?cursor=9999999999999999999`), 400, "cursor");
    await expectFieldProblem(await get(`/api/v1/distributors/${janeId}/downline?cursor=garbage`), 400, "cursor");
  });

  it.each(["NaN", "-5", "1e3", "6%"])("what-if refuses a %j percentage with 422 naming the field", async (percent) => {
    const plan = {
      ...PERIOD_PLAN,
      components: PERIOD_PLAN.components.map((component) =>
        component.type === "unilevel" ? { ...component, rates: { general: [{ kind: "percent", percent }] } } : component,
      ),
    };
    await expectFieldProblem(await post("/api/v1/plans/what-if", { plan, orders: [order] }), 422, "plan.components[0].rates.general[0].percent");
  });
});
