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
import { db } from "~/db.server";
import { DOCUMENTED_OPERATIONS, openApiDocument } from "~/services/api/openapi.server";
import { API_SCOPES, createApiToken } from "~/services/api/tokens.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { apiPathsSource, withoutFormatting } from "../../scripts/api-types-source";
import type { paths } from "../support/api-paths";
import { startAppServer, type TestServer } from "../support/app-server";
import { responseErrors } from "../support/openapi-check";

let server: TestServer;
let token: string;
let distributorId: string;
beforeAll(async () => {
  server = await startAppServer();
  const shopId = (await ensureShopifyShop(db(), "openapi.myshopify.com")).id;
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
  return readdirSync("app/routes")
    .filter((file) => file.startsWith("api.v1.") && !file.includes("openapi"))
    // "[.]" is Remix's escaped dot (export[.]csv → export.csv), not a path separator.
    .map((file) => `/${file.replace(/\.tsx?$/, "").replaceAll("[.]", "\u0000").split(".").map((segment) => (segment.startsWith("$") ? `{${segment.slice(1)}}` : segment)).join("/").replaceAll("\u0000", ".")}`)
    .sort();
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
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; additionalProperties?: unknown } }> } }>>;
    };
    const create = document.paths["/api/v1/distributors"]!.post!.requestBody!.content["application/json"]!.schema;
    expect(Object.keys(create.properties ?? {})).toEqual(expect.arrayContaining(["email", "sponsor", "external_id", "customer"]));
    expect(create.additionalProperties).toBe(false);
  });

  it.each(DOCUMENTED_OPERATIONS)("$method $path answers 401 problem+json without a token", async ({ method, path }) => {
    const url = `${server.url}${path.replace("{id}", "00000000-0000-0000-0000-000000000000")}${path.endsWith("reconciliation") ? "?date=2026-01-01" : ""}`;
    const response = await fetch(url, { method: method.toUpperCase(), headers: { "content-type": "application/json" }, ...(method === "post" ? { body: "{}" } : {}) });
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
    const created = await client().POST("/api/v1/distributors", { params: { header: { "Idempotency-Key": randomUUID() } }, body: { name: "Open Api", code: "OPEN01" } });
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
      operation.parameters.filter((parameter) => parameter.in === "query").map((parameter) => ({ method, path, name: parameter.name, schema: parameter.schema })),
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
