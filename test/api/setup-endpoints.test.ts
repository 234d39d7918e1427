/**
 * The setup endpoints' edges: scopes, Idempotency-Key on PUT and DELETE, methods, each refusal a 422 naming
 * its field; the admin preview names a bad field even before the shop has orders; the token command's refusals.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { runTokenCommand, TokenCommandError } from "~/services/api/token-command.server";
import { embeddedUrl, sessionToken, storeOfflineSession } from "../support/admin-browser";
import { startAppServer, type TestServer } from "../support/app-server";

const SHOP = "setup-endpoints.myshopify.com";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
let server: TestServer;
let shopId: string;
let writer: string;
let reader: string;

beforeAll(async () => {
  server = await startAppServer();
  await storeOfflineSession(SHOP);
  shopId = (await db().shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
  writer = (
    await createApiToken(db(), shopId, "writer", [
      "plans:read",
      "plans:write",
      "catalog:read",
      "catalog:write",
      "settings:read",
      "settings:write",
      "connections:write",
    ])
  ).token;
  reader = (await createApiToken(db(), shopId, "reader", ["catalog:read"])).token;
});
afterAll(async () => server?.close());

async function call(method: string, path: string, body?: unknown, options: { token?: string; key?: string | null } = {}) {
  const headers: Record<string, string> = { Authorization: `Bearer ${options.token ?? writer}`, "Content-Type": "application/json" };
  const key = options.key === undefined ? randomUUID() : options.key;
  if (key) headers["Idempotency-Key"] = key;
  const response = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : null) as Record<string, unknown> & { errors?: { field: string }[] },
  };
}

const fields = (answer: Awaited<ReturnType<typeof call>>) => (answer.body.errors ?? []).map((error) => error.field);

describe("scopes and methods", () => {
  it("a read-only token reads classes and is refused a write with 403", async () => {
    expect((await call("GET", "/api/v1/commission-classes", undefined, { token: reader })).status).toBe(200);
    const refused = await call("POST", "/api/v1/commission-classes", { key: "standard", name: "Standard" }, { token: reader });
    expect([refused.status, refused.body.type]).toEqual([403, "urn:upline:problem:insufficient-scope"]);
    expect(await db().commissionClass.count({ where: { shopId } })).toBe(0);
  });

  it("PUT needs an Idempotency-Key; a method the path does not take is 405 with Allow", async () => {
    const keyless = await call("PUT", "/api/v1/settings", { commission: { hold_days: 3 } }, { key: null });
    expect([keyless.status, keyless.body.type]).toEqual([400, "urn:upline:problem:idempotency-key-required"]);
    const wrong = await call("POST", "/api/v1/settings", {});
    expect([wrong.status, wrong.headers.get("allow")]).toEqual([405, "GET, PUT"]);
    expect((await call("GET", `/api/v1/sku-mappings/${randomUUID()}`)).status).toBe(405);
  });

  it("a DELETE with a key replays its first answer; without one a second DELETE is 404", async () => {
    await call("POST", "/api/v1/commission-classes", { key: "standard", name: "Standard", is_default: true });
    const mapping = async () =>
      ((await call("POST", "/api/v1/sku-mappings", { platform: "shopify", variant_id: "4242", class: "standard" })).body.sku_mapping as { id: string }).id;
    const first = await mapping();
    const key = randomUUID();
    expect((await call("DELETE", `/api/v1/sku-mappings/${first}`, undefined, { key })).status).toBe(200);
    const replay = await call("DELETE", `/api/v1/sku-mappings/${first}`, undefined, { key });
    expect([replay.status, replay.headers.get("idempotent-replayed")]).toEqual([200, "true"]);
    const second = await mapping();
    expect((await call("DELETE", `/api/v1/sku-mappings/${second}`, undefined, { key: null })).status).toBe(200);
    expect((await call("DELETE", `/api/v1/sku-mappings/${second}`, undefined, { key: null })).status).toBe(404);
    expect(await db().auditLog.count({ where: { shopId, action: "sku_mapping.deleted" } })).toBe(2);
  });
});

describe("every refusal is a 422 naming its field", () => {
  it.each([
    ["/api/v1/plans", {}, "rules"],
    ["/api/v1/plans", { rules: "6%" }, "rules"],
    ["/api/v1/plans", { rules: { schemaVersion: 1, components: [] }, effective_from: "0000-01-01T00:00:00Z" }, "effective_from"],
    ["/api/v1/commission-classes", { key: "kits", name: "Kits", pv: { kind: "share_of_net", percent: "6%" } }, "pv.percent"],
    ["/api/v1/commission-classes", { key: "bad key!", name: "Kits" }, "key"],
    ["/api/v1/sku-mappings", { platform: "shopify", class: "standard" }, "sku"],
    ["/api/v1/sku-mappings", { platform: "etsy", sku: "A", class: "standard" }, "platform"],
    ["/api/v1/connections", { platform: "shopify", name: "Mine" }, "platform"],
    ["/api/v1/connections", { platform: "woocommerce", name: "Woo", base_url: "ftp://woo.example" }, "base_url"],
  ])("POST %s %j names %s", async (path, body, field) => {
    const answer = await call("POST", path, body);
    expect(answer.status).toBe(422);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
    expect(fields(answer)).toContain(field);
  });

  it.each([
    [{ commission: { hold_days: -1 } }, "commission.hold_days"],
    [{ commission: { include_tax: "yes" } }, "commission.include_tax"],
    [{ referral: { param: "a b" } }, "referral.param"],
    [{ payouts: { minimum_minor: "-5" } }, "payouts.minimum_minor"],
    [{ unknown: true }, "(body)"],
  ])("PUT /api/v1/settings %j names %s and changes nothing", async (body, field) => {
    const before = (await db().shop.findUniqueOrThrow({ where: { id: shopId } })).settings;
    const answer = await call("PUT", "/api/v1/settings", body);
    expect(answer.status).toBe(422);
    expect(fields(answer)).toContain(field);
    expect((await db().shop.findUniqueOrThrow({ where: { id: shopId } })).settings).toEqual(before);
  });
});

describe("the admin Plans page", () => {
  it("names a bad percent on preview before the shop has any order to preview on", async () => {
    const plan = {
      schemaVersion: 1,
      components: [{ type: "unilevel", id: "u", maxDepth: 1, compression: "none", rates: { standard: [{ kind: "percent", percent: "6%" }] } }],
    };
    const response = await fetch(embeddedUrl(server.url, "/app/plans.data", SHOP), {
      method: "POST",
      headers: { Authorization: `Bearer ${sessionToken(SHOP)}`, "User-Agent": CHROME, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "preview", rules: JSON.stringify(plan) }),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toContain("components[0].rates.standard[0].percent");
    expect(text).not.toContain("no evaluated orders");
  });
});

describe("npm run token", () => {
  const output = () => {
    const lines = { out: [] as string[], err: [] as string[] };
    return { lines, sink: { out: (line: string) => lines.out.push(line), err: (line: string) => lines.err.push(line) } };
  };

  it.each([
    [["create", "--shop", SHOP, "--scopes", "plans:read,plans:wrte"], /Unknown scope\(s\): plans:wrte/],
    [["create", "--shop", "typo.myshopify.com", "--scopes", "all"], /No shop typo\.myshopify\.com/],
    [["create", "--scopes", "all"], /--shop <domain> is required/],
    [["create", "--shop", SHOP], /--scopes is required/],
    [["create", "--shop", SHOP, "--scopes", "all", "--bogus"], /Unknown option/],
    [["revoke", "--shop", SHOP, "--id", "nope"], /No active token nope/],
    [["frobnicate"], /Usage:/],
  ])("refuses %j and writes nothing", async (argv, message) => {
    const tokens = await db().apiToken.count();
    const { sink } = output();
    await expect(runTokenCommand(db(), argv, sink)).rejects.toThrow(TokenCommandError);
    await expect(runTokenCommand(db(), argv, sink)).rejects.toThrow(message);
    expect(await db().apiToken.count()).toBe(tokens);
    expect(await db().shop.count({ where: { domain: "typo.myshopify.com" } })).toBe(0);
  });

  it("creates a token with exactly the scopes listed, and lists it with its last use", async () => {
    const { lines, sink } = output();
    await runTokenCommand(db(), ["create", "--shop", SHOP, "--scopes", "settings:read, plans:read", "--name", "ops"], sink);
    const [token] = lines.out;
    expect(token).toMatch(/^upl_/);
    expect((await call("GET", "/api/v1/settings", undefined, { token })).status).toBe(200);
    expect((await call("GET", "/api/v1/commission-classes", undefined, { token })).status).toBe(403);
    const listed = output();
    await runTokenCommand(db(), ["list", "--shop", SHOP], listed.sink);
    const row = listed.lines.out.find((line) => line.split("\t")[1] === "ops")!;
    expect(row.split("\t")[2]).toBe("settings:read,plans:read");
    expect(row).not.toContain("last used never");
    expect(listed.lines.out.join("\n")).not.toContain(token);
  });
});
