/**
 * Shared set-up for the genealogy tests: the production web app and workers in this file's process, signed
 * Shopify customer webhooks, and REST calls with a bearer token — the product's own paths, never hand-written rows.
 */
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { coreConfig } from "~/config.server";
import { db } from "~/db.server";
import { shopifyWireText } from "~test/support/platforms/fixtures";
import { createApiToken } from "~/services/api/tokens.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { startWorkers, type RunningWorkers } from "../../workers/start-workers";
import { startAppServer, type TestServer } from "../support/app-server";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";

export interface Harness {
  server: TestServer;
  workers: RunningWorkers;
  shopId: string;
  token: string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const server = await startAppServer();
  const workers = await startWorkers(coreConfig());
  const shopId = (await ensureShopifyShop(db(), TEST_SHOP)).id;
  const { token } = await createApiToken(db(), shopId, "genealogy tests", ["distributors:read", "distributors:write", "ledger:read", "orders:write"]);
  return {
    server,
    workers,
    shopId,
    token,
    close: async () => {
      await workers.close(true);
      await server.close();
    },
  };
}

export const SAMPLE_CUSTOMER_ID = "706405506930370084";

/** Shopify's sample customers/create body with another id, e-mail and (optionally) a `ref: CODE` note line. */
export function customerBody(customerId: string, email: string, ref: string | null = null, createdAt = "2021-12-31T19:00:00-05:00"): string {
  return shopifyWireText("customers_create.sample.trigger-dev.json")
    .replaceAll(SAMPLE_CUSTOMER_ID, customerId)
    .replace(/"id": \d+/, `"id": ${customerId}`)
    .replace('"bob@biller.com"', JSON.stringify(email))
    .replace('"This customer loves ice cream"', JSON.stringify(ref ? `ref: ${ref}` : "no code"))
    .replace(/"created_at": "[^"]*"/, `"created_at": "${createdAt}"`);
}

export async function deliverShopify(harness: Harness, body: string, topic: string, webhookId: string = randomUUID()) {
  const response = await fetch(`${harness.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId }));
  expect(response.status).toBe(200);
  return webhookId;
}

/** Waits until every inbox row is processed (or dead). */
export async function settled() {
  await waitUntil(
    async () => (await db().webhookEvent.count({ where: { status: { in: ["pending", "processing", "failed"] } } })) === 0,
    30_000,
    "the inbox to settle",
  );
}

export function api(harness: Harness, path: string, init: { method?: string; body?: unknown; key?: string | null; token?: string } = {}) {
  const headers: Record<string, string> = { Authorization: `Bearer ${init.token ?? harness.token}` };
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  if (init.method === "POST" && init.key !== null) headers["Idempotency-Key"] = init.key ?? randomUUID();
  return fetch(`${harness.server.url}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/** POST /api/v1/distributors, expecting success; returns the distributor's JSON. */
export async function createViaApi(harness: Harness, body: Record<string, unknown>) {
  const response = await api(harness, "/api/v1/distributors", { method: "POST", body });
  expect([200, 201]).toContain(response.status);
  return (await response.json()) as {
    id: string;
    code: string;
    placement: { parentId: string | null; position: number | null } | null;
    sponsor: { id: string } | null;
  };
}

export { waitUntil };
