/**
 * Issue 11 item 1: a plan made only of period components (binary, ranks, matching, rank advancement; no
 * unilevel) still credits every order's volume to its owner, so the close pays and writes ranks; and the what-if
 * of the same month (POST /api/v1/plans/what-if with period_start) gives the same lines and ranks as the real
 * close (POST /api/v1/periods/close, read back with GET /api/v1/periods/:id), line by line.
 *
 * Tree: test/periods/support.ts. Plan version 2 (from 2026-02-01) = the period plan without its unilevel, the
 * matching on binary only. March: CHARLIE, DELTA and BRAVO each refer Shopify's sample order (2 × 199.00, 398
 * points, no commission per order).
 *   binary (100 points = 10.00, cap 25.00)
 *     ALPHA  left CHARLIE 398 / right DELTA 398 → 3 pairs = 30.00, capped to 25.00
 *     ROOT   left ALPHA's leg 796 / right BRAVO 398 → 3 pairs = 30.00, capped to 25.00
 *   ranks  ROOT GV 1,194 ≥ 1,000 with 2 active legs → bronze (silver needs 1,500); ALPHA GV 796: none
 *   rank advancement  bronze 25.00 to ROOT
 *   matching 10 % of generation 1's binary: ROOT 10 % × ALPHA's 25.00 = 2.50
 * Before the fix the orders' snapshots had no upline: the close paid nothing and ranked nobody, while the what-if
 * (which loaded one level) paid all of the above.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { publishPlanVersion } from "~/services/commissions/setup.server";
import { orderBody, orderRow } from "../commissions/support";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { PERIOD_PLAN } from "./plan";
import { firstPeriodJobDone, seedPeriodShop, type PeriodShop } from "./support";

const app = runAppAndWorkers();
let shop: PeriodShop;
let token: string;
const orderIds: string[] = [];

const PERIOD_ONLY_PLAN = {
  ...PERIOD_PLAN,
  components: PERIOD_PLAN.components
    .filter((component) => component.type !== "unilevel")
    .map((component) => (component.type === "matching" ? { ...component, matches: ["binary"] } : component)),
};

const MARCH_ORDERS: readonly [string, string, string][] = [
  ["9501", "CHARLIE", "2026-03-05T10:00:00Z"],
  ["9502", "DELTA", "2026-03-10T10:00:00Z"],
  ["9503", "BRAVO", "2026-03-20T10:00:00Z"],
];

beforeAll(async () => {
  await firstPeriodJobDone();
  shop = await seedPeriodShop();
  await publishPlanVersion(db(), shop.shopId, PERIOD_ONLY_PLAN, "2026-02-01T00:00:00Z", "test");
  token = (await createApiToken(db(), shop.shopId, "periods", ["periods:read", "periods:write", "plans:read"])).token;
  for (const [orderId, ref, createdAt] of MARCH_ORDERS) {
    const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(orderBody(orderId, { ref, createdAt }), { webhookId: randomUUID() }));
    expect(response.status).toBe(200);
  }
  for (const [orderId] of MARCH_ORDERS) {
    const order = await waitUntil(() => orderRow(shop.shopId, orderId), 20_000, `order ${orderId}`);
    await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, `commission of ${orderId}`);
    orderIds.push(order.id);
  }
});

const post = (path: string, body: unknown) =>
  fetch(`${app.server.url}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
    body: JSON.stringify(body),
  });

type Rank = { distributorId: string; paidAsRank: string | null; achievedRank: string | null };

describe("a plan made only of period components", () => {
  it("closes March with the same lines and ranks as the what-if of March, exact to the cent", async () => {
    const whatIf = await post("/api/v1/plans/what-if", { plan: PERIOD_ONLY_PLAN, order_ids: orderIds, period_start: "2026-03-01" });
    expect(whatIf.status).toBe(200);
    const predicted = (await whatIf.json()) as {
      orders: { lines: unknown[] }[];
      period: { lines: { distributorId: string; amountMinor: string; currency: string; rule: string; kind: string; detail: unknown }[]; ranks: Rank[] };
    };
    expect(predicted.orders.every((order) => order.lines.length === 0)).toBe(true);

    for (const start of ["2026-01-01", "2026-02-01", "2026-03-01"]) {
      const closed = await post("/api/v1/periods/close", { period_start: start });
      expect(closed.status).toBe(200);
    }
    const { periods } = (await (
      await fetch(`${app.server.url}/api/v1/periods?status=closed&limit=1`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as {
      periods: { id: string; key: string }[];
    };
    expect(periods[0]!.key).toBe("2026-03");
    const detail = (await (await fetch(`${app.server.url}/api/v1/periods/${periods[0]!.id}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      lines: { distributor_id: string; rule: string; kind: string; amount: { amount_minor: string; currency: string }; detail: unknown }[];
      ranks: Rank[];
    };

    const code = (id: string) => Object.entries(shop.ids).find(([, value]) => value === id)?.[0] ?? id;
    const closedLines = detail.lines.map((line) => ({
      to: code(line.distributor_id),
      rule: line.rule,
      kind: line.kind,
      amountMinor: line.amount.amount_minor,
      currency: line.amount.currency,
      detail: line.detail,
    }));
    const whatIfLines = predicted.period.lines.map((line) => ({
      to: code(line.distributorId),
      rule: line.rule,
      kind: line.kind,
      amountMinor: line.amountMinor,
      currency: line.currency,
      detail: line.detail,
    }));
    expect(closedLines).toEqual(whatIfLines);
    expect(closedLines.map((line) => [line.rule, line.to, line.amountMinor]).sort()).toEqual([
      ["binary", "ALPHA", "2500"],
      ["binary", "ROOT", "2500"],
      ["matching", "ROOT", "250"],
      ["rankup", "ROOT", "2500"],
    ]);
    const ranks = (rows: Rank[]) => rows.map((rank) => [code(rank.distributorId), rank.paidAsRank, rank.achievedRank]).sort();
    expect(ranks(detail.ranks)).toEqual(ranks(predicted.period.ranks));
    expect(ranks(detail.ranks)).toEqual([["ROOT", "bronze", "bronze"]]);
  });
});
