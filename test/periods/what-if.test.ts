/**
 * POST /api/v1/plans/what-if: a draft plan version over a stored order (by id) and a new one (seed API format),
 * closed as March 2026, returns exact per-order and period amounts and writes nothing: every table has the
 * same number of rows before and after.
 *
 * Draft = the period plan (test/periods/plan.ts) with unilevel level 1 at 20 % instead of 10 %.
 *   stored order 9301, referred by CHARLIE: 398.00 → CHARLIE 20 % = 79.60, 398 points
 *   new order wi-1, referred by DELTA: 100.00 → DELTA 20.00, 100 points
 *   period: ALPHA left 398 / right 100 → 1 pair = 10.00; ROOT left 498 / right 0 → none; nobody reaches
 *   bronze (ALPHA's group 498 < 1,000); matching 10 %: ALPHA 7.96 + 2.00 (CHARLIE, DELTA), ROOT 1.00 (ALPHA's pair)
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { MAINTENANCE_JOBS } from "~/queues.server";
import { createApiToken } from "~/services/api/tokens.server";
import { orderBody, orderRow } from "../commissions/support";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { PERIOD_PLAN } from "./plan";
import { everyTableCount, firstPeriodJobDone, seedPeriodShop, type PeriodShop } from "./support";

const app = runAppAndWorkers();
let shop: PeriodShop;
let token: string;
let storedOrderId: string;

beforeAll(async () => {
  await firstPeriodJobDone(Object.values(MAINTENANCE_JOBS));
  shop = await seedPeriodShop();
  token = (await createApiToken(db(), shop.shopId, "plans", ["plans:read"])).token;
  const response = await fetch(
    `${app.server.url}/ingest/shopify`,
    shopifyDelivery(orderBody("9301", { ref: "CHARLIE", createdAt: "2026-03-05T10:00:00Z" }), { webhookId: randomUUID() }),
  );
  expect(response.status).toBe(200);
  storedOrderId = (await waitUntil(() => orderRow(shop.shopId, "9301"), 20_000, "the order")).id;
  await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: storedOrderId } }), 20_000, "the commission");
  await waitUntil(
    async () => (await db().webhookEvent.count({ where: { status: { in: ["pending", "processing", "failed"] } } })) === 0,
    20_000,
    "the inbox to settle",
  );
});

const draft = {
  ...PERIOD_PLAN,
  components: PERIOD_PLAN.components.map((component) =>
    component.type === "unilevel" ? { ...component, rates: { general: [{ kind: "percent", percent: "20" }] } } : component,
  ),
};

const whatIf = (body: unknown, bearer = token) =>
  fetch(`${app.server.url}/api/v1/plans/what-if`, {
    method: "POST",
    headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

type Line = { distributorId: string; amountMinor: string; rule: string };

describe("POST /api/v1/plans/what-if", () => {
  it("returns the draft's per-order and period lines, exact to the cent, and writes nothing", async () => {
    const before = await everyTableCount();
    const response = await whatIf({
      plan: draft,
      order_ids: [storedOrderId],
      orders: [{ platform_order_id: "wi-1", ordered_at: "2026-03-12T00:00:00Z", currency: "USD", referrer_id: "DELTA", sku: "X-1", amount: "100.00" }],
      period_start: "2026-03-01",
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      orders: { order_id: string; platform_order_id: string; lines: Line[] }[];
      period: { period: { key: string }; totals: Line[]; ranks: unknown[] };
      totals: { perOrderMinor: string; periodMinor: string };
    };
    const byId = Object.fromEntries(Object.entries(shop.ids).map(([code, id]) => [id, code]));
    const sums = (lines: readonly Line[]) => {
      const out: Record<string, string> = {};
      for (const line of lines)
        out[`${line.rule}:${byId[line.distributorId]}`] = String(BigInt(out[`${line.rule}:${byId[line.distributorId]}`] ?? "0") + BigInt(line.amountMinor));
      return out;
    };
    expect(body.orders.map((order) => [order.platform_order_id, sums(order.lines)])).toEqual([
      ["9301", { "unilevel:CHARLIE": "7960" }],
      ["wi-1", { "unilevel:DELTA": "2000" }],
    ]);
    expect(body.period.period.key).toBe("2026-03");
    expect(sums(body.period.totals)).toEqual({ "binary:ALPHA": "1000", "matching:ALPHA": "996", "matching:ROOT": "100" });
    expect(body.period.ranks).toEqual([]);
    expect(body.totals).toEqual({ perOrderMinor: "9960", periodMinor: "2096" });
    expect(await everyTableCount()).toEqual(before);
  });

  it("pays a matrix draft up the placement tree the order stood in: CHARLIE (level 1), ALPHA, ROOT", async () => {
    const matrix = {
      schemaVersion: 1,
      components: [
        {
          type: "matrix",
          id: "matrix",
          width: 2,
          depth: 3,
          compression: "none",
          rates: { general: ["5", "3", "2"].map((percent) => ({ kind: "percent", percent })) },
        },
      ],
    };
    const response = await whatIf({ plan: matrix, order_ids: [storedOrderId] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { orders: { lines: Line[]; flags: { type: string }[] }[] };
    const byId = Object.fromEntries(Object.entries(shop.ids).map(([code, id]) => [id, code]));
    const paid: Record<string, bigint> = {};
    for (const line of body.orders[0]!.lines) paid[byId[line.distributorId]!] = (paid[byId[line.distributorId]!] ?? 0n) + BigInt(line.amountMinor);
    // 398.00 at 5 / 3 / 2 %.
    expect(paid).toEqual({ CHARLIE: 1_990n, ALPHA: 1_194n, ROOT: 796n });
    expect(body.orders[0]!.flags.map((flag) => flag.type)).not.toContain("no_placement_upline");
  });

  it("answers 422 naming the field for an invalid draft or order, 401/403 without the right token", async () => {
    const before = await everyTableCount();
    const invalid = await whatIf({ plan: { ...draft, components: [{ type: "binary", id: "b" }] }, order_ids: [storedOrderId] });
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get("content-type")).toBe("application/problem+json");
    expect(((await invalid.json()) as { errors: { field: string }[] }).errors.some((error) => error.field.startsWith("plan.components[0]"))).toBe(true);
    const badOrder = await whatIf({ plan: draft, orders: [{ platform_order_id: "x", currency: "USD" }] });
    expect(badOrder.status).toBe(422);
    expect((await whatIf({ plan: draft, order_ids: ["no-such-order"] })).status).toBe(422);
    expect((await fetch(`${app.server.url}/api/v1/plans/what-if`, { method: "POST", body: "{}" })).status).toBe(401);
    const ledgerOnly = (await createApiToken(db(), shop.shopId, "ledger", ["ledger:read"])).token;
    expect((await whatIf({ plan: draft, order_ids: [storedOrderId] }, ledgerOnly)).status).toBe(403);
    const after = await everyTableCount();
    // The only new row is the token this test created.
    expect(after).toEqual({ ...before, ApiToken: before.ApiToken! + 1 });
  });
});
