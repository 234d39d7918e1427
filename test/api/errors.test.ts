/**
 * Unexpected errors: a problem+json 500 whose error id is in the log line with the stack, on the API and on the
 * Express routes (ingest) alike; a failed worker attempt keeps the stack in the inbox row.
 */
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db, pgPool } from "~/db.server";
import { logger } from "~/logger.server";
import { createApiToken } from "~/services/api/tokens.server";
import { errorResponse } from "~/services/http/error-map.server";
import { claimInboxEvent } from "~/services/inbox/claim.server";
import { recordFailedAttempt } from "~/services/inbox/process-event.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { problemErrorHandler } from "../../scripts/web-app";
import { startAppServer, type TestServer } from "../support/app-server";

let server: TestServer;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(async () => server?.close());
afterEach(() => vi.restoreAllMocks());

describe("an unexpected error", () => {
  it("answers problem+json 500 with an error id, and logs that id with the stack", async () => {
    const logged = vi.spyOn(logger, "error");
    const response = errorResponse(new TypeError("cannot read properties of undefined"), { path: "/api/v1/x" });
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = (await response.json()) as { type: string; error_id: string; detail: string };
    expect(body.type).toBe("urn:upline:problem:internal-error");
    expect(body.error_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.detail).toContain(body.error_id);
    expect(logged).toHaveBeenCalledTimes(1);
    const [fields] = logged.mock.calls[0]! as unknown as [{ err: Error; errorId: string; path: string }];
    expect(fields.errorId).toBe(body.error_id);
    expect(fields.err.stack).toContain("TypeError: cannot read properties of undefined");
    expect(fields.path).toBe("/api/v1/x");
  });

  it("on an Express route (the ingest path) is the same problem+json 500, not Express's HTML page", async () => {
    const logged = vi.spyOn(logger, "error");
    const app = express();
    app.post("/ingest/shopify", (_req, _res, next) => next(new Error("ingest blew up")));
    app.use(problemErrorHandler);
    const listening = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => listening.once("listening", resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(listening.address() as AddressInfo).port}/ingest/shopify`, { method: "POST", body: "{}" });
      expect(response.status).toBe(500);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const body = (await response.json()) as { error_id: string };
      expect(logged.mock.calls.map(([fields]) => (fields as unknown as { errorId: string }).errorId)).toContain(body.error_id);
    } finally {
      listening.close();
    }
  });
});

describe("a failed worker attempt", () => {
  it("keeps the stack in the inbox row's last error", async () => {
    const shopId = (await ensureShopifyShop(db(), "errors.myshopify.com")).id;
    const token = (await createApiToken(db(), shopId, "seed", ["orders:write"])).token;
    const accepted = await fetch(`${server.url}/api/v1/orders`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
      body: JSON.stringify({ platform_order_id: "ERR-1", currency: "USD", sku: "X", amount: "1.00" }),
    });
    expect(accepted.status).toBe(202);
    const { event_id: eventId } = (await accepted.json()) as { event_id: string };
    expect(await claimInboxEvent(pgPool(), eventId, shopId)).not.toBeNull();
    await recordFailedAttempt(db(), eventId, shopId, new RangeError("the plan broke"), false);
    const row = await db().webhookEvent.findUniqueOrThrow({ where: { id: eventId } });
    expect(row.status).toBe("failed");
    expect(row.lastError).toContain("RangeError: the plan broke");
    expect(row.lastError).toMatch(/\n\s+at /);
  });
});
