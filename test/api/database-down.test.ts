/**
 * While PostgreSQL cannot be reached, /api/v1 answers 503 problem+json with Retry-After (nothing was lost, retry
 * later), not 500. The app is started against a port where no server listens: the connection is refused, as
 * when PostgreSQL is stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type TestServer } from "../support/app-server";

// Before the first db() call anywhere in this process (the pool is created lazily with this URL).
process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:1/unreachable";

let server: TestServer;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(async () => server?.close());

const bearer = { Authorization: "Bearer upl_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };

describe("/api/v1 while PostgreSQL is down", () => {
  it.each([
    ["GET /api/v1/distributors", () => fetch(`${server.url}/api/v1/distributors`, { headers: bearer })],
    ["GET /api/v1/periods", () => fetch(`${server.url}/api/v1/periods`, { headers: bearer })],
    [
      "POST /api/v1/orders",
      () =>
        fetch(`${server.url}/api/v1/orders`, {
          method: "POST",
          headers: { ...bearer, "Content-Type": "application/json", "Idempotency-Key": "k-1" },
          body: JSON.stringify({ platform_order_id: "1", currency: "USD", sku: "X", amount: "1.00" }),
        }),
    ],
  ])("%s answers 503 problem+json with Retry-After", async (_name, send) => {
    const response = await send();
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await response.json()) as { type: string }).type).toBe("urn:upline:problem:service-unavailable");
  });
});
