/**
 * The served OpenAPI document matches the routes that exist: every api.v1 route file is documented, every
 * documented operation answers 401 problem+json without a token, and request bodies come from the validators.
 */
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCUMENTED_OPERATIONS } from "~/services/api/openapi.server";
import { startAppServer, type TestServer } from "../support/app-server";

let server: TestServer;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(async () => server?.close());

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
});
