/**
 * The served OpenAPI document matches the routes that exist: it is a valid OpenAPI 3.1 document; every api.v1
 * route file is documented; every documented operation answers 401 problem+json without a token; request
 * bodies and query parameters come from the validators the routes use (walked: each documented parameter is
 * read and enforced by its route); a typed client generated from it (test/support/api-paths.ts, current with
 * the document) drives the API, and responses are checked against the documented schemas.
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coreConfig } from "~/config.server";
import { db } from "~/db.server";
import { releaseDueHolds } from "~/services/commissions/holds.server";
import { createCommissionClass, publishPlanVersion } from "~/services/commissions/setup.server";
import { DOCUMENTED_OPERATIONS, openApiDocument } from "~/services/api/openapi.server";
import { API_SCOPES, createApiToken } from "~/services/api/tokens.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { apiPathsSource, withoutFormatting } from "../../scripts/api-types-source";
import type { paths } from "../support/api-paths";
import { startAppServer, type TestServer } from "../support/app-server";
import { waitUntil } from "../support/deliveries";
import { responseErrors } from "../support/openapi-check";
import { startWorkers, type RunningWorkers } from "../../workers/start-workers";

let server: TestServer;
let token: string;
let distributorId: string;
let shopId: string;
beforeAll(async () => {
  server = await startAppServer();
  shopId = (await ensureShopifyShop(db(), "openapi.myshopify.com")).id;
  token = (await createApiToken(db(), shopId, "all", [...API_SCOPES])).token;
});
afterAll(async () => server?.close());

type Document = Parameters<typeof responseErrors>[0] & {
  paths: Record<string, Record<string, { parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[] }>>;
};
const document = () => openApiDocument("http://127.0.0.1") as unknown as Document;
const client = () => createClient<paths>({ baseUrl: server.url, headers: { Authorization: `Bearer ${token}` } });

/** `api.v1.distributors.$id.moves.ts` → `/api/v1/distributors/{id}/moves` (the openapi document itself excluded). */
function routePaths(): string[] {
  return (
    readdirSync("app/routes")
      .filter((file) => file.startsWith("api.v1.") && !file.includes("openapi"))
      // "[.]" is Remix's escaped dot (export[.]csv → export.csv), not a path separator.
      .map(
        (file) =>
          `/${file
            .replace(/\.tsx?$/, "")
            .replaceAll("[.]", "\u0000")
            .split(".")
            .map((segment) => (segment.startsWith("$") ? `{${segment.slice(1)}}` : segment))
            .join("/")
            .replaceAll("\u0000", ".")}`,
      )
      .sort()
  );
}

describe("GET /api/v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document covering every api.v1 route file", async () => {
    const response = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>>; servers: { url: string }[] };
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers[0]!.url).toBe(server.url);
    expect(Object.keys(document.paths).sort()).toEqual(routePaths());
  });

  it("describes request bodies from the validators the routes use", async () => {
    const document = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; additionalProperties?: unknown } }> } }>
      >;
    };
    const create = document.paths["/api/v1/distributors"]!.post!.requestBody!.content["application/json"]!.schema;
    expect(Object.keys(create.properties ?? {})).toEqual(expect.arrayContaining(["email", "sponsor", "external_id", "customer"]));
    expect(create.additionalProperties).toBe(false);
  });

  it.each(DOCUMENTED_OPERATIONS)("$method $path answers 401 problem+json without a token", async ({ method, path }) => {
    const url = `${server.url}${path.replace("{id}", "00000000-0000-0000-0000-000000000000")}${path.endsWith("reconciliation") ? "?date=2026-01-01" : ""}`;
    const response = await fetch(url, {
      method: method.toUpperCase(),
      headers: { "content-type": "application/json" },
      ...(method === "post" ? { body: "{}" } : {}),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  it("is valid OpenAPI 3.1 by a real validator", async () => {
    const result = await new Validator().validate(openApiDocument("http://127.0.0.1") as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("has generated client types current with the document (npm run api:types)", async () => {
    expect(withoutFormatting(readFileSync("test/support/api-paths.ts", "utf8"))).toBe(withoutFormatting(await apiPathsSource()));
  });
});

describe("the typed client generated from the document drives the API, answers checked against their schemas", () => {
  it("POST /api/v1/orders: 202 and 422 as documented", async () => {
    const accepted = await client().POST("/api/v1/orders", {
      params: { header: { "Idempotency-Key": randomUUID() } },
      body: { platform_order_id: "OA-1", currency: "USD", sku: "X", amount: "12.50" },
    });
    expect(accepted.response.status).toBe(202);
    expect(responseErrors(document(), "post", "/api/v1/orders", 202, accepted.data)).toEqual([]);

    const refused = await client().POST("/api/v1/orders", { params: { header: { "Idempotency-Key": randomUUID() } }, body: { currency: "USD", amount: 1e21 } });
    expect(refused.response.status).toBe(422);
    expect(responseErrors(document(), "post", "/api/v1/orders", 422, refused.error)).toEqual([]);
  });

  it("POST and GET /api/v1/distributors with the documented search and limit", async () => {
    const created = await client().POST("/api/v1/distributors", {
      params: { header: { "Idempotency-Key": randomUUID() } },
      body: { name: "Open Api", code: "OPEN01" },
    });
    expect(created.response.status).toBe(201);
    distributorId = (created.data as { id: string }).id;
    const found = await client().GET("/api/v1/distributors", { params: { query: { search: "OPEN", limit: 1 } } });
    expect(found.response.status).toBe(200);
    expect((found.data as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([distributorId]);
  });

  it("a problem answer conforms to the Problem schema", async () => {
    const missing = await fetch(`${server.url}/api/v1/distributors/NOSUCH`, { headers: { Authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(404);
    expect(responseErrors(document(), "get", "/api/v1/distributors/{id}", 404, await missing.json())).toEqual([]);
  });
});

/** A value the parameter's schema refuses (so a route that reads the parameter must answer 400 naming it). */
function invalidValue(schema: Record<string, unknown>): string {
  if (schema.type === "integer" || schema.type === "number") return "not-a-number";
  if (schema.enum) return "not-one-of-them";
  if (schema.format) return "not-a-valid-value";
  if (typeof schema.maxLength === "number") return "x".repeat(schema.maxLength + 1);
  if (schema.pattern) return "!";
  throw new Error(`no invalid value for ${JSON.stringify(schema)}`);
}

describe("walking the document: every documented query parameter is read and enforced by its route", () => {
  const queried = Object.entries(openApiDocument("http://127.0.0.1").paths as unknown as Document["paths"]).flatMap(([path, methods]) =>
    Object.entries(methods).flatMap(([method, operation]) =>
      operation.parameters
        .filter((parameter) => parameter.in === "query")
        .map((parameter) => ({ method, path, name: parameter.name, schema: parameter.schema })),
    ),
  );

  it("documents the query parameters the list routes read (search and limit, not q)", () => {
    expect(queried.filter((entry) => entry.path === "/api/v1/distributors").map((entry) => entry.name)).toEqual(["search", "limit", "after"]);
    expect(queried.length).toBeGreaterThanOrEqual(14);
  });

  it.each(queried)("$method $path ?$name: an invalid value is a 400 naming it", async ({ path, name, schema }) => {
    const url = new URL(`${server.url}${path.replace("{id}", distributorId ?? randomUUID())}`);
    if (path.endsWith("reconciliation") && name !== "date") url.searchParams.set("date", "2026-01-01");
    url.searchParams.set(name, invalidValue(schema));
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors?: { field: string }[] };
    expect(body.errors?.map((error) => error.field)).toContain(name);
    expect(responseErrors(document(), "get", path, 400, body)).toEqual([]);
  });
});

/**
 * Every documented success body, from real data built through the API (distributors, an order, its refund and
 * cancellation, a period close and re-open, payout settings, methods and runs): each answer must match the
 * schema the document gives for its status, so a response schema that drifts from its service fails here.
 */
describe("every documented JSON success body matches its schema, with real data", () => {
  let workers: RunningWorkers;
  beforeAll(async () => {
    workers = await startWorkers(coreConfig());
    // No plan endpoints yet: the plan is published through the service (10 % on level 1, monthly periods).
    await createCommissionClass(db(), shopId, { key: "general", name: "General", isDefault: true });
    await publishPlanVersion(
      db(),
      shopId,
      {
        schemaVersion: 1,
        period: { schedule: "monthly" },
        components: [
          {
            type: "unilevel",
            id: "unilevel",
            maxDepth: 2,
            compression: "none",
            rates: {
              general: [
                { kind: "percent", percent: "10" },
                { kind: "percent", percent: "5" },
              ],
            },
          },
        ],
      },
      // From the period the test closes: every earlier period would have to be closed first.
      "2026-03-01T00:00:00Z",
      "test",
    );
  });
  afterAll(async () => workers?.close(true));

  const checked: string[] = [];
  /** The answer's status and body against the document; returns the body for the next step. */
  function conforms<T>(method: "get" | "post", path: string, answer: { response: Response; data?: T; error?: unknown }, status: number): T {
    expect(answer.response.status, `${method} ${path}: ${JSON.stringify(answer.error ?? null)}`).toBe(status);
    expect(responseErrors(document(), method, path, status, answer.data), `${method} ${path}`).toEqual([]);
    checked.push(`${method} ${path}`);
    return answer.data!;
  }
  const key = () => ({ header: { "Idempotency-Key": randomUUID() } });

  it("drives each operation and checks its body", async () => {
    const api = client();
    const root = conforms(
      "post",
      "/api/v1/distributors",
      await api.POST("/api/v1/distributors", {
        params: key(),
        body: { code: "OAROOT", name: "Root", email: "root@example.com", enrolled_at: "2025-01-01T00:00:00Z" },
      }),
      201,
    );
    const kid = conforms(
      "post",
      "/api/v1/distributors",
      await api.POST("/api/v1/distributors", {
        params: key(),
        body: { code: "OAKID", sponsor: "OAROOT", external_id: "kid-1", enrolled_at: "2025-01-01T00:00:00Z" },
      }),
      201,
    );
    const again = await api.POST("/api/v1/distributors", {
      params: key(),
      body: { code: "OAKID", sponsor: "OAROOT", external_id: "kid-1", enrolled_at: "2025-01-01T00:00:00Z" },
    });
    conforms("post", "/api/v1/distributors", again, again.response.status === 200 ? 200 : 201);
    const other = conforms(
      "post",
      "/api/v1/distributors",
      await api.POST("/api/v1/distributors", { params: key(), body: { code: "OAOTHER", sponsor: "OAROOT", enrolled_at: "2025-01-01T00:00:00Z" } }),
      201,
    );

    const accepted = await api.POST("/api/v1/orders", {
      params: key(),
      body: { platform_order_id: "OA-C1", ordered_at: "2026-03-10T12:00:00Z", currency: "USD", referrer_id: "OAKID", sku: "X", amount: "100.00" },
    });
    conforms("post", "/api/v1/orders", accepted, 202);
    await waitUntil(() => db().commission.findFirst({ where: { shopId, order: { platformOrderId: "OA-C1" } } }), 30_000, "the commission of OA-C1");
    const commissions = conforms(
      "get",
      "/api/v1/orders/{id}/commissions",
      await api.GET("/api/v1/orders/{id}/commissions", { params: { path: { id: "OA-C1" } } }),
      200,
    );
    expect(commissions.commission?.lines.length, JSON.stringify(commissions.commission?.outcome)).toBeGreaterThan(0);
    await releaseDueHolds(db(), { now: new Date("2032-01-01T00:00:00Z"), shopId });

    const id = (value: string) => ({ params: { path: { id: value } } });
    conforms("get", "/api/v1/distributors", await api.GET("/api/v1/distributors", { params: { query: { limit: 2 } } }), 200);
    conforms("get", "/api/v1/distributors/{id}", await api.GET("/api/v1/distributors/{id}", id(kid.id)), 200);
    conforms("get", "/api/v1/distributors/{id}/upline", await api.GET("/api/v1/distributors/{id}/upline", id(kid.id)), 200);
    conforms("get", "/api/v1/distributors/{id}/downline", await api.GET("/api/v1/distributors/{id}/downline", id(root.id)), 200);
    conforms("get", "/api/v1/distributors/{id}/export", await api.GET("/api/v1/distributors/{id}/export", id(kid.id)), 200);
    const ledger = conforms("get", "/api/v1/distributors/{id}/ledger", await api.GET("/api/v1/distributors/{id}/ledger", id(kid.id)), 200);
    expect(ledger.balances.length).toBe(1);
    conforms("get", "/api/v1/reconciliation", await api.GET("/api/v1/reconciliation", { params: { query: { date: "2026-03-10" } } }), 200);
    conforms(
      "post",
      "/api/v1/distributors/{id}/moves",
      await api.POST("/api/v1/distributors/{id}/moves", {
        params: { ...key(), path: { id: other.id } },
        body: { tree: "sponsor", new_sponsor: "OAKID", effective_from: "2026-04-01T00:00:00Z", reason: "test" },
      }),
      201,
    );
    conforms(
      "post",
      "/api/v1/distributors/{id}/status",
      await api.POST("/api/v1/distributors/{id}/status", { params: { ...key(), path: { id: other.id } }, body: { status: "inactive", reason: "test" } }),
      200,
    );
    conforms(
      "post",
      "/api/v1/plans/what-if",
      await api.POST("/api/v1/plans/what-if", {
        body: {
          plan: {
            schemaVersion: 1,
            period: { schedule: "monthly" },
            components: [{ type: "unilevel", id: "unilevel", maxDepth: 1, compression: "none", rates: { general: [{ kind: "percent", percent: "20" }] } }],
          },
          order_ids: ["OA-C1"],
          period_start: "2026-03-10",
        },
      }),
      200,
    );

    const closed = conforms(
      "post",
      "/api/v1/periods/close",
      await api.POST("/api/v1/periods/close", { params: key(), body: { period_start: "2026-03-10" } }),
      200,
    );
    // The workers' scheduled close may have closed the past period already: either answer is documented.
    expect(["closed", "already_closed"]).toContain(closed.action);
    conforms("get", "/api/v1/periods", await api.GET("/api/v1/periods"), 200);
    const periodId = closed.period!.id;
    conforms("get", "/api/v1/periods/{id}", await api.GET("/api/v1/periods/{id}", id(periodId)), 200);
    conforms(
      "post",
      "/api/v1/periods/{id}/reopen",
      await api.POST("/api/v1/periods/{id}/reopen", { params: { ...key(), path: { id: periodId } }, body: { reason: "check" } }),
      200,
    );

    conforms(
      "post",
      "/api/v1/payout-settings",
      await api.POST("/api/v1/payout-settings", { params: key(), body: { minimum_minor: "100", method_minimums: { bank: "200" } } }),
      200,
    );
    conforms("get", "/api/v1/payout-settings", await api.GET("/api/v1/payout-settings"), 200);
    for (const payee of [kid, root]) {
      conforms(
        "post",
        "/api/v1/distributors/{id}/payout-method",
        await api.POST("/api/v1/distributors/{id}/payout-method", {
          params: { ...key(), path: { id: payee.id } },
          body: { method: "bank", details: { account_holder: "Holder", iban: "DE0012" } },
        }),
        200,
      );
    }
    const preview = conforms("get", "/api/v1/payout-runs/preview", await api.GET("/api/v1/payout-runs/preview"), 200);
    expect(preview.items.length).toBeGreaterThan(0);
    const draft = conforms("post", "/api/v1/payout-runs", await api.POST("/api/v1/payout-runs", { params: key(), body: {} }), 201);
    conforms(
      "post",
      "/api/v1/payout-runs/{id}/cancel",
      await api.POST("/api/v1/payout-runs/{id}/cancel", { params: { ...key(), path: { id: draft.payout_run.id } }, body: {} }),
      200,
    );
    const run = conforms("post", "/api/v1/payout-runs", await api.POST("/api/v1/payout-runs", { params: key(), body: {} }), 201);
    const runId = run.payout_run.id;
    conforms(
      "post",
      "/api/v1/payout-runs/{id}/approve",
      await api.POST("/api/v1/payout-runs/{id}/approve", { params: { ...key(), path: { id: runId } }, body: {} }),
      200,
    );
    conforms("get", "/api/v1/payout-runs", await api.GET("/api/v1/payout-runs"), 200);
    await waitUntil(async () => (await db().payoutItem.count({ where: { runId, status: "pending" } })) === 0, 20_000, "items submitted");
    const items = conforms("get", "/api/v1/payout-runs/{id}/items", await api.GET("/api/v1/payout-runs/{id}/items", id(runId)), 200);
    conforms(
      "post",
      "/api/v1/payout-items/{id}/mark-paid",
      await api.POST("/api/v1/payout-items/{id}/mark-paid", { params: { ...key(), path: { id: items.items[0]!.id } }, body: {} }),
      200,
    );
    conforms(
      "post",
      "/api/v1/payout-runs/{id}/confirmations",
      await api.POST("/api/v1/payout-runs/{id}/confirmations", {
        params: { ...key(), path: { id: runId } },
        body: { csv: "reference,status,amount,currency\r\nnot-an-item,paid,1.00,USD" },
      }),
      200,
    );
    conforms("get", "/api/v1/distributors/{id}/payouts", await api.GET("/api/v1/distributors/{id}/payouts", id(kid.id)), 200);
    // The wallet now holds a payout entry as well (a kind the entries' type once lacked).
    const paidLedger = conforms("get", "/api/v1/distributors/{id}/ledger", await api.GET("/api/v1/distributors/{id}/ledger", id(kid.id)), 200);
    expect(paidLedger.entries.map((entry) => entry.kind)).toContain("payout");

    conforms(
      "post",
      "/api/v1/orders/{id}/refunds",
      await api.POST("/api/v1/orders/{id}/refunds", { params: { ...key(), path: { id: "OA-C1" } }, body: { refund_id: "R-1", amount: "10.00" } }),
      202,
    );
    conforms(
      "post",
      "/api/v1/orders/{id}/cancel",
      await api.POST("/api/v1/orders/{id}/cancel", { params: { ...key(), path: { id: "OA-C1" } }, body: {} }),
      202,
    );

    // Every documented operation with a JSON body was driven (export.csv answers text/csv).
    // The setup endpoints (plans, catalog, settings, connections, discount codes), backfills and tax forms are
    // driven by their own suites (test/api/setup-endpoints, rest-only-setup, test/shopify, test/payouts/tax-report);
    // their bodies are not yet walked here, so they are listed rather than silently skipped.
    const drivenElsewhere =
      /\/(plans|commission-classes|sku-mappings|catalog|discount-codes|settings|connections|backfills)\b|\/tax-form$|\/coupon$|tax-report\.csv$/;
    const documented = DOCUMENTED_OPERATIONS.map(({ method, path }) => `${method} ${path}`).filter(
      (operation) => !operation.endsWith("export.csv") && !(drivenElsewhere.test(operation) && !operation.includes("what-if")),
    );
    expect(documented.filter((operation) => !checked.includes(operation))).toEqual([]);
  }, 60_000);
});
