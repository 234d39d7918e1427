/**
 * The periods REST API: bearer tokens with scopes, Idempotency-Key on POST, problem+json errors, and every read
 * scoped by the caller's shop (another shop's period is a 404, and its list is its own).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { runPeriodClose } from "../../workers/period-close";
import { orderBody, orderRow } from "../commissions/support";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { firstPeriodJobDone, seedPeriodShop, type PeriodShop } from "./support";

const app = runAppAndWorkers();
let shop: PeriodShop;
let token: string;
let readOnly: string;
let otherToken: string;

beforeAll(async () => {
  await firstPeriodJobDone();
  shop = await seedPeriodShop();
  token = (await createApiToken(db(), shop.shopId, "periods", ["periods:read", "periods:write"])).token;
  readOnly = (await createApiToken(db(), shop.shopId, "ledger", ["ledger:read"])).token;
  const other = await ensureShopifyShop(db(), "other-periods.myshopify.com");
  otherToken = (await createApiToken(db(), other.id, "other", ["periods:read", "periods:write"])).token;
  const response = await fetch(
    `${app.server.url}/ingest/shopify`,
    shopifyDelivery(orderBody("9201", { ref: "CHARLIE", createdAt: "2026-03-05T10:00:00Z" }), { webhookId: randomUUID() }),
  );
  expect(response.status).toBe(200);
  const order = await waitUntil(() => orderRow(shop.shopId, "9201"), 20_000, "the order");
  await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, "the commission");
});

const get = (path: string, bearer = token) => fetch(`${app.server.url}${path}`, { headers: { Authorization: `Bearer ${bearer}` } });
const post = (path: string, body: unknown, options: { bearer?: string; key?: string | null } = {}) =>
  fetch(`${app.server.url}${path}`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${options.bearer ?? token}`,
      "Content-Type": "application/json",
      ...(options.key === null ? {} : { "Idempotency-Key": options.key ?? randomUUID() }),
    },
    body: JSON.stringify(body),
  });

interface PeriodJson {
  id: string;
  key: string;
  status: string;
  revision: number;
  totals: { paid: { amount_minor: string; currency: string }; lines: number; orders: number } | null;
}

describe("POST /api/v1/periods/close", () => {
  it("needs a token with periods:write and an Idempotency-Key, and answers problem+json", async () => {
    const unauthenticated = await fetch(`${app.server.url}/api/v1/periods/close`, { method: "POST", body: "{}" });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("content-type")).toBe("application/problem+json");
    expect((await post("/api/v1/periods/close", { period_start: "2026-01-01" }, { bearer: readOnly })).status).toBe(403);
    const keyless = await post("/api/v1/periods/close", { period_start: "2026-01-01" }, { key: null });
    expect(keyless.status).toBe(400);
    expect(await keyless.json()).toMatchObject({ type: "urn:upline:problem:idempotency-key-required" });
    const invalid = await post("/api/v1/periods/close", { period: "march" });
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ type: "urn:upline:problem:validation-failed" });
  });

  it("closes periods in order: a later one is refused with 409 while an earlier one is open", async () => {
    const early = await post("/api/v1/periods/close", { period_start: "2026-03-01T00:00:00Z" });
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ type: "urn:upline:problem:earlier-period-open", status: 409 });
    for (const start of ["2026-01-01", "2026-02-01"]) {
      const response = await post("/api/v1/periods/close", { period_start: start });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ action: "closed", period: { status: "closed", revision: 1 } });
    }
  });

  it("closes March with its totals; the same Idempotency-Key replays the stored answer, a second key finds it closed", async () => {
    const key = randomUUID();
    const first = await post("/api/v1/periods/close", { period_start: "2026-03-15T00:00:00Z" }, { key });
    expect(first.status).toBe(200);
    const body = (await first.json()) as { action: string; period: PeriodJson; summary: { postedMinor: string } };
    // CHARLIE's one order: 398 points on ALPHA's left leg, none on the right: no pair, no rank; ALPHA matches
    // 10 % of CHARLIE's 39.80 unilevel commission: 3.98.
    expect(body).toMatchObject({
      action: "closed",
      period: { key: "2026-03", status: "closed", revision: 1, totals: { paid: { amount_minor: "398", currency: "USD" }, lines: 1, orders: 1 } },
    });
    const replay = await post("/api/v1/periods/close", { period_start: "2026-03-15T00:00:00Z" }, { key });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.json()).toEqual(body);
    const again = await post("/api/v1/periods/close", { period_id: body.period.id });
    expect(await again.json()).toMatchObject({ action: "already_closed" });
  });
});

describe("GET /api/v1/periods and /api/v1/periods/:id", () => {
  it("lists the shop's periods newest first with status and totals, filtered by status", async () => {
    const response = await get("/api/v1/periods?status=closed");
    expect(response.status).toBe(200);
    const { periods } = (await response.json()) as { periods: PeriodJson[] };
    expect(periods.map((period) => [period.key, period.status])).toEqual([
      ["2026-03", "closed"],
      ["2026-02", "closed"],
      ["2026-01", "closed"],
    ]);
    expect((await get("/api/v1/periods?status=bogus")).status).toBe(400);
  });

  it("shows one period with its close trail and the explanation of its latest close", async () => {
    const { periods } = (await (await get("/api/v1/periods?status=closed&limit=1")).json()) as { periods: PeriodJson[] };
    const detail = (await (await get(`/api/v1/periods/${periods[0]!.id}`)).json()) as {
      period: PeriodJson;
      posted: unknown[];
      runs: { action: string; revision: number }[];
      lines: unknown[];
      lines_total: number;
    };
    expect(detail.period.key).toBe("2026-03");
    expect(detail.runs.map((run) => [run.action, run.revision])).toEqual([["close", 1]]);
    const matching = { amount_minor: "398", amount: "3.98", currency: "USD" };
    expect(detail.posted).toEqual([
      {
        revision: 1,
        rule: "matching",
        kind: "matching",
        distributor_id: shop.ids.ALPHA,
        amount: matching,
        idempotency_key: `period:2026-03:matching:${shop.ids.ALPHA}`,
      },
    ]);
    expect(detail.lines).toEqual([
      {
        distributor_id: shop.ids.ALPHA,
        rule: "matching",
        kind: "matching",
        amount: matching,
        detail: { type: "matching", sourceDistributorId: shop.ids.CHARLIE, generation: 1, basisMinor: "3980", percent: "10" },
      },
    ]);
  });

  it("keeps shops apart: another shop's token sees none of these periods and gets 404 for their ids", async () => {
    const { periods } = (await (await get("/api/v1/periods?limit=1")).json()) as { periods: PeriodJson[] };
    const id = periods[0]!.id;
    expect(await (await get("/api/v1/periods", otherToken)).json()).toEqual({ periods: [] });
    const foreign = await get(`/api/v1/periods/${id}`, otherToken);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get("content-type")).toBe("application/problem+json");
    const foreignReopen = await post(`/api/v1/periods/${id}/reopen`, { reason: "not mine" }, { bearer: otherToken });
    expect(foreignReopen.status).toBe(404);
    expect((await get(`/api/v1/periods/not-a-uuid`)).status).toBe(404);
    expect((await get("/api/v1/periods", readOnly)).status).toBe(403);
  });
});

describe("POST /api/v1/periods/:id/reopen", () => {
  it("needs a reason, re-opens a closed period once, and the next close is revision 2", async () => {
    const { periods } = (await (await get("/api/v1/periods?status=closed&limit=1")).json()) as { periods: PeriodJson[] };
    const id = periods[0]!.id;
    const reasonless = await post(`/api/v1/periods/${id}/reopen`, {});
    expect(reasonless.status).toBe(422);
    const reopened = await post(`/api/v1/periods/${id}/reopen`, { reason: "late refund" });
    expect(reopened.status).toBe(200);
    expect(await reopened.json()).toMatchObject({ period: { status: "reopened", reopen_reason: "late refund", revision: 1 } });
    const twice = await post(`/api/v1/periods/${id}/reopen`, { reason: "again" });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ type: "urn:upline:problem:period-not-closed" });
    const closed = await post("/api/v1/periods/close", { period_id: id });
    expect(await closed.json()).toMatchObject({ action: "closed", period: { status: "closed", revision: 2 } });
    const audit = await db().auditLog.findMany({ where: { shopId: shop.shopId, action: "period.reopened" } });
    expect(audit.map((row) => [row.entityId, row.reason])).toEqual([[id, "late refund"]]);
  });
});

describe("the repeatable close (workers/period-close.ts)", () => {
  it("waits for the cutoff grace after a period's end, then closes it", async () => {
    const grace = { PERIOD_CLOSE_GRACE_MS: 2 * 86_400_000 };
    const early = await runPeriodClose(db(), grace, new Date("2026-05-02T23:00:00Z"));
    expect(early).toMatchObject({ closed: 0, refused: [] });
    expect((await db().commissionPeriod.findFirstOrThrow({ where: { shopId: shop.shopId, key: "2026-04" } })).status).toBe("open");
    const due = await runPeriodClose(db(), grace, new Date("2026-05-03T00:00:00Z"));
    expect(due).toMatchObject({ closed: 1, refused: [] });
    expect((await db().commissionPeriod.findFirstOrThrow({ where: { shopId: shop.shopId, key: "2026-04" } })).status).toBe("closed");
  });
});
