/**
 * Issue 11 item 2: the shop's company node is the root of the trees, never a payee. Whatever the plan would pay
 * it, per order (unilevel levels) and at the close (binary pairs of the unrelated roots placed under it,
 * matching), is breakage with reason "company_node"; the what-if says the same; its wallet stays empty.
 *
 * Built through the product's paths: distributors enrolled with POST /api/v1/distributors (no sponsor → under the
 * company node, placed in its binary legs), orders as signed Shopify webhooks, the close and the what-if through
 * the REST API, everything read back through the REST API.
 *
 *   sponsor tree              placement (binary, breadth-first)
 *   COMPANY                   COMPANY
 *   ├─ ANNA                   ├─ left:  ANNA
 *   │  └─ AMOS                │         └─ left: AMOS
 *   └─ BORIS                  └─ right: BORIS
 * Plan (monthly): unilevel 3 levels dynamic 10 / 5 / 3 %; binary 100 points = 10.00 (1:1, carry); matching 10 %
 * of generation 1's unilevel and binary. Shopify's sample order = 398.00, 398 points.
 *   order 9601 by AMOS's customer: AMOS 39.80, ANNA 19.90, COMPANY 3 % = 11.94 → breakage company_node
 *   order 9602 by BORIS's customer: BORIS 39.80, COMPANY 5 % = 19.90 → breakage company_node; level 3 no_upline
 *   March close: COMPANY left 398 / right 398 → 3 pairs = 30.00 → breakage company_node; ANNA left 398 / right
 *   0 → none; matching: ANNA 10 % × AMOS's 39.80 = 3.98; COMPANY 10 % × (ANNA 19.90 + BORIS 39.80) = 1.99 + 3.98
 *   → breakage company_node.
 * Before the fix the company node was paid 11.94 + 19.90 per order and 30.00 + 5.97 at the close.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { createCommissionClass, publishPlanVersion, updateCommissionSettings } from "~/services/commissions/setup.server";
import { updateGenealogySettings } from "~/services/genealogy/settings.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { firstPeriodJobDone } from "../periods/support";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";
import { orderBody, orderRow } from "./support";

const app = runAppAndWorkers();
let shopId: string;
let token: string;
const ids: Record<string, string> = {};
const orderIds: string[] = [];

const percents = (...values: string[]) => values.map((percent) => ({ kind: "percent", percent }));
const PLAN = {
  schemaVersion: 1,
  period: { schedule: "monthly" },
  components: [
    { type: "unilevel", id: "unilevel", maxDepth: 3, compression: "dynamic", rates: { general: percents("10", "5", "3") } },
    {
      type: "binary",
      id: "binary",
      volume: "pv",
      pairVolume: "100",
      payout: { kind: "per_pair", amountMinor: "1000", currency: "USD" },
      firstPair: "1:1",
      carry: { mode: "carry" },
    },
    { type: "matching", id: "matching", matches: ["unilevel", "binary"], compression: "dynamic", generations: [{ percent: "10" }] },
  ],
};

const api = (path: string, body?: unknown) =>
  fetch(`${app.server.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json", "Idempotency-Key": randomUUID() }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

beforeAll(async () => {
  await firstPeriodJobDone();
  shopId = (await ensureShopifyShop(db(), TEST_SHOP)).id;
  token = (
    await createApiToken(db(), shopId, "company", [
      "distributors:read",
      "distributors:write",
      "orders:read",
      "ledger:read",
      "periods:read",
      "periods:write",
      "plans:read",
    ])
  ).token;
  await updateCommissionSettings(db(), shopId, { refundWindowDays: 3_650 }, "test");
  await updateGenealogySettings(db(), shopId, { placement: { kind: "binary", spillover: { kind: "breadth-first" } } }, "test");
  await createCommissionClass(db(), shopId, { key: "general", name: "General", isDefault: true });
  await publishPlanVersion(db(), shopId, PLAN, "2026-01-01T00:00:00Z", "test");
  for (const [code, sponsor, enrolledAt] of [
    ["ANNA", undefined, "2026-01-02T00:00:00Z"],
    ["BORIS", undefined, "2026-01-03T00:00:00Z"],
    ["AMOS", "ANNA", "2026-01-04T00:00:00Z"],
  ] as const) {
    const response = await api("/api/v1/distributors", { code, enrolled_at: enrolledAt, ...(sponsor ? { sponsor } : {}) });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; sponsor: { id: string } | null };
    ids[code] = created.id;
    if (!sponsor) ids.COMPANY = created.sponsor!.id;
  }
  for (const [orderId, ref] of [
    ["9601", "AMOS"],
    ["9602", "BORIS"],
  ]) {
    const response = await fetch(
      `${app.server.url}/ingest/shopify`,
      shopifyDelivery(orderBody(orderId!, { ref, createdAt: "2026-03-05T10:00:00Z" }), { webhookId: randomUUID() }),
    );
    expect(response.status).toBe(200);
    const order = await waitUntil(() => orderRow(shopId, orderId!), 20_000, `order ${orderId}`);
    await waitUntil(() => db().commission.findFirst({ where: { shopId, orderId: order.id } }), 20_000, `commission of ${orderId}`);
    orderIds.push(order.id);
  }
});

const code = (id: string | null) => Object.entries(ids).find(([, value]) => value === id)?.[0] ?? id;
type Money = { amount_minor: string };
const sumBy = (rows: readonly { key: string; minor: string }[]) => {
  const out: Record<string, string> = {};
  for (const row of rows) out[row.key] = String(BigInt(out[row.key] ?? "0") + BigInt(row.minor));
  return out;
};

describe("the company node", () => {
  it("is enrolled as the sponsor and binary parent of the distributors enrolled without a sponsor", async () => {
    const company = (await (await api(`/api/v1/distributors/${ids.COMPANY}`)).json()) as { is_company_node: boolean };
    expect(company.is_company_node).toBe(true);
    const anna = (await (await api(`/api/v1/distributors/${ids.ANNA}`)).json()) as { placement: { parentId: string } | null };
    expect(anna.placement?.parentId).toBe(ids.COMPANY);
  });

  it("is never paid per order: its unilevel levels are breakage with reason company_node", async () => {
    const paid: Record<string, Record<string, string>> = {};
    const kept: Record<string, Record<string, string>> = {};
    for (const orderId of ["9601", "9602"]) {
      const { commission: body } = (await (await api(`/api/v1/orders/${orderId}/commissions`)).json()) as {
        commission: {
          lines: { distributor_id: string; amount: Money }[];
          breakage: { distributor_id: string | null; amount: Money; reason: string; level: number }[];
        };
      };
      paid[orderId] = sumBy(body.lines.map((line) => ({ key: code(line.distributor_id)!, minor: line.amount.amount_minor })));
      kept[orderId] = sumBy(body.breakage.map((line) => ({ key: `${line.reason}:${code(line.distributor_id) ?? "-"}`, minor: line.amount.amount_minor })));
    }
    expect(paid).toEqual({ "9601": { AMOS: "3980", ANNA: "1990" }, "9602": { BORIS: "3980" } });
    expect(kept).toEqual({ "9601": { "company_node:COMPANY": "1194" }, "9602": { "company_node:COMPANY": "1990", "no_upline:-": "1194" } });
  });

  it("is never paid at the close nor in the what-if: its binary pairs and matching are breakage; its wallet stays empty", async () => {
    const whatIf = await api("/api/v1/plans/what-if", { plan: PLAN, order_ids: orderIds, period_start: "2026-03-01" });
    expect(whatIf.status).toBe(200);
    const predicted = (await whatIf.json()) as {
      orders: { lines: { distributorId: string }[]; breakage: { distributorId: string | null; reason: string; amountMinor: string }[] }[];
      period: {
        lines: { distributorId: string; rule: string; amountMinor: string }[];
        breakage: { distributorId: string | null; rule: string; reason: string; amountMinor: string }[];
      };
    };
    expect(predicted.orders.flatMap((order) => order.lines).some((line) => line.distributorId === ids.COMPANY)).toBe(false);
    expect(
      sumBy(
        predicted.orders
          .flatMap((order) => order.breakage)
          .filter((line) => line.reason === "company_node")
          .map((line) => ({ key: code(line.distributorId)!, minor: line.amountMinor })),
      ),
    ).toEqual({ COMPANY: "3184" });

    for (const start of ["2026-01-01", "2026-02-01", "2026-03-01"]) expect((await api("/api/v1/periods/close", { period_start: start })).status).toBe(200);
    const { periods } = (await (await api("/api/v1/periods?status=closed&limit=1")).json()) as { periods: { id: string; key: string }[] };
    expect(periods[0]!.key).toBe("2026-03");
    const detail = (await (await api(`/api/v1/periods/${periods[0]!.id}`)).json()) as {
      lines: { distributor_id: string; rule: string; amount: Money }[];
      breakage: { distributor_id: string | null; rule: string; amount: Money; reason: string }[];
    };
    const closed = detail.lines.map((line) => `${line.rule}:${code(line.distributor_id)}:${line.amount.amount_minor}`);
    expect(closed).toEqual(["matching:ANNA:398"]);
    expect(predicted.period.lines.map((line) => `${line.rule}:${code(line.distributorId)}:${line.amountMinor}`)).toEqual(closed);
    const companyBreakage = (rows: { key: string; minor: string }[]) => sumBy(rows);
    expect(
      companyBreakage(
        detail.breakage
          .filter((line) => line.reason === "company_node")
          .map((line) => ({ key: `${line.rule}:${code(line.distributor_id)}`, minor: line.amount.amount_minor })),
      ),
    ).toEqual({
      "binary:COMPANY": "3000",
      "matching:COMPANY": "597",
    });
    expect(
      companyBreakage(
        predicted.period.breakage
          .filter((line) => line.reason === "company_node")
          .map((line) => ({ key: `${line.rule}:${code(line.distributorId)}`, minor: line.amountMinor })),
      ),
    ).toEqual({
      "binary:COMPANY": "3000",
      "matching:COMPANY": "597",
    });

    const ledger = (await (await api(`/api/v1/distributors/${ids.COMPANY}/ledger`)).json()) as { balances: unknown[]; entries: unknown[] };
    expect(ledger).toMatchObject({ balances: [], entries: [] });
  });
});
