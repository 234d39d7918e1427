/**
 * Idempotency-Key stands for one request: method, path and body. The same key on another endpoint is a reuse
 * (422), never a replay of the first endpoint's answer; expired keys are deleted by a scheduled worker job.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { MAINTENANCE_JOBS, queues } from "~/queues.server";
import { API_SCOPES, createApiToken } from "~/services/api/tokens.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { waitUntil } from "../support/deliveries";

const app = runAppAndWorkers();
let shopId: string;
let token: string;

beforeAll(async () => {
  shopId = (await ensureShopifyShop(db(), "idempotency.myshopify.com")).id;
  token = (await createApiToken(db(), shopId, "all", [...API_SCOPES])).token;
});

const post = (path: string, body: unknown, key: string) =>
  fetch(`${app.server.url}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": key },
    body: JSON.stringify(body),
  });

describe("Idempotency-Key", () => {
  it("used again on another endpoint with the same body answers 422, not the first endpoint's stored response", async () => {
    const key = randomUUID();
    const body = { name: "Ann", email: "ann@example.com" };
    const created = await post("/api/v1/distributors", body, key);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const elsewhere = await post(`/api/v1/distributors/${id}/status`, body, key);
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.headers.get("content-type")).toBe("application/problem+json");
    expect(await elsewhere.json()).toMatchObject({ type: "urn:upline:problem:idempotency-key-reused", status: 422 });

    const replay = await post("/api/v1/distributors", body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
  });

  it("is deleted once expired by the scheduled purge job", async () => {
    expect(await queues().maintenance.getJobScheduler(MAINTENANCE_JOBS.purgeIdempotencyKeys)).toBeTruthy();
    const expired = randomUUID();
    const fresh = randomUUID();
    expect((await post("/api/v1/distributors", { name: "Old key" }, expired)).status).toBe(201);
    expect((await post("/api/v1/distributors", { name: "New key" }, fresh)).status).toBe(201);
    // A day passes for the first key only.
    await db().idempotencyKey.updateMany({ where: { shopId, key: expired }, data: { expiresAt: new Date(Date.now() - 1_000) } });

    await queues().maintenance.add(MAINTENANCE_JOBS.purgeIdempotencyKeys, {});
    await waitUntil(async () => (await db().idempotencyKey.count({ where: { shopId, key: expired } })) === 0, 20_000, "the expired key to be purged");
    expect(await db().idempotencyKey.count({ where: { shopId, key: fresh } })).toBe(1);
  });
});
