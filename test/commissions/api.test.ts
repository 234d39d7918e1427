/**
 * The read API over commissions: a distributor's ledger, an order's commissions with their explanation, and
 * the daily reconciliation. Bearer tokens with scopes; problem+json errors; amounts as strings, never floats.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { runReconciliation } from "../../workers/reconcile";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { LINE_A, LINE_B, orderBody, orderRow, refundBody, seedShop, type SeededShop } from "./support";

const app = runAppAndWorkers();
let shop: SeededShop;
let token: string;
let ordersOnly: string;
let orderId: string;

beforeAll(async () => {
  shop = await seedShop();
  token = (await createApiToken(db(), shop.shopId, "reader", ["ledger:read", "orders:read"])).token;
  ordersOnly = (await createApiToken(db(), shop.shopId, "orders", ["orders:read"])).token;
  const deliver = async (body: string, topic: string) =>
    expect((await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId: randomUUID() }))).status).toBe(200);
  await deliver(orderBody("8001"), "orders/paid");
  orderId = (await waitUntil(() => orderRow(shop.shopId, "8001"), 20_000, "the order")).id;
  await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId } }), 20_000, "the commission");
  await deliver(refundBody("8001", "9001", [LINE_A]), "refunds/create");
  await waitUntil(() => db().commissionReversal.findFirst({ where: { shopId: shop.shopId, orderId } }), 20_000, "the reversal");
});

const get = (path: string, bearer = token) => fetch(`${app.server.url}${path}`, { headers: { Authorization: `Bearer ${bearer}` } });
const usd = (minor: string, amount: string) => ({ amount_minor: minor, amount, currency: "USD" });

describe("GET /api/v1/distributors/:id/ledger", () => {
  it("returns pending and available balances per currency and the wallet entries, newest first", async () => {
    const response = await get(`/api/v1/distributors/${shop.ids.JANE01}/ledger`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      distributor: unknown;
      balances: unknown;
      entries: { kind: string; wallet: string; amount: unknown; order_id: string; refund_id: string | null }[];
      next_cursor: string | null;
    };
    expect(body.distributor).toEqual({ id: shop.ids.JANE01, code: "JANE01" });
    // 39.80 earned on the order, 19.90 taken back by the refund of line A.
    expect(body.balances).toEqual([{ currency: "USD", pending: usd("1990", "19.90"), available: usd("0", "0.00") }]);
    expect(body.entries.map((entry) => [entry.kind, entry.wallet, entry.amount, entry.order_id, entry.refund_id])).toEqual([
      ["commission_reversal", "pending", usd("-1990", "-19.90"), orderId, "9001"],
      ["commission", "pending", usd("3980", "39.80"), orderId, null],
    ]);
    expect(body.next_cursor).toBeNull();
  });

  it("finds a distributor by referral code too, and pages with a cursor", async () => {
    const first = (await (await get("/api/v1/distributors/jane-01/ledger?limit=1")).json()) as { entries: { kind: string }[]; next_cursor: string };
    expect(first.entries.map((entry) => entry.kind)).toEqual(["commission_reversal"]);
    const second = (await (await get(`/api/v1/distributors/JANE01/ledger?limit=1&cursor=${first.next_cursor}`)).json()) as {
      entries: { kind: string }[];
      next_cursor: string | null;
    };
    expect(second.entries.map((entry) => entry.kind)).toEqual(["commission"]);
    expect(second.next_cursor).toBeNull();
  });

  it("answers problem+json: 401 without a token, 403 without ledger:read, 404 for another shop's distributor, 400 for a bad cursor", async () => {
    const unauthenticated = await fetch(`${app.server.url}/api/v1/distributors/${shop.ids.JANE01}/ledger`);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("content-type")).toBe("application/problem+json");
    expect((await get(`/api/v1/distributors/${shop.ids.JANE01}/ledger`, ordersOnly)).status).toBe(403);

    const other = await ensureShopifyShop(db(), "other-shop.myshopify.com");
    const otherToken = (await createApiToken(db(), other.id, "other", ["ledger:read"])).token;
    const foreign = await get(`/api/v1/distributors/${shop.ids.JANE01}/ledger`, otherToken);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ type: "urn:upline:problem:not-found", status: 404 });

    const bad = await get(`/api/v1/distributors/${shop.ids.JANE01}/ledger?cursor=abc`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: "urn:upline:problem:invalid-parameter", errors: [{ field: "cursor" }] });
  });
});

describe("GET /api/v1/orders/:id/commissions", () => {
  it("explains each commission line from the snapshot, with what refunds reversed, by our id or the platform id", async () => {
    const byPlatformId = (await (await get("/api/v1/orders/8001/commissions")).json()) as Record<string, unknown>;
    const byId = (await (await get(`/api/v1/orders/${orderId}/commissions`)).json()) as Record<string, unknown>;
    expect(byId).toEqual(byPlatformId);

    const body = byId as {
      order: unknown;
      commission: {
        outcome: string;
        plan_version: { version: number };
        attribution: unknown;
        totals: unknown;
        lines: {
          distributor_id: string;
          level: number;
          order_line_id: string;
          amount: unknown;
          reversed: unknown;
          net: unknown;
          explanation: { order_line: unknown; upline_node: unknown; component: unknown };
        }[];
        reversals: { source: string; lines: unknown[] }[];
        snapshot: { upline: unknown[]; planVersion: { version: number } };
      };
      ledger: { kind: string; postings: { account_kind: string; amount: unknown }[] }[];
    };
    expect(body.order).toMatchObject({ id: orderId, platform: "shopify", platform_order_id: "8001", status: "paid", currency: "USD" });
    expect(body.commission).toMatchObject({
      outcome: "evaluated",
      plan_version: { version: 1 },
      attribution: { distributor_id: shop.ids.JANE01, source: "cart_attribute", code: "JANE01" },
      totals: {
        base: usd("39800", "398.00"),
        paid: usd("7164", "71.64"),
        breakage: usd("0", "0.00"),
        reversed: usd("-3582", "-35.82"),
        net: usd("3582", "35.82"),
        pv: "398.00",
        cv: "398.00",
      },
    });
    const lineA = body.commission.lines.filter((line) => line.order_line_id === LINE_A);
    expect(lineA.map((line) => [line.distributor_id, line.level, line.amount, line.reversed, line.net])).toEqual([
      [shop.ids.JANE01, 1, usd("1990", "19.90"), usd("-1990", "-19.90"), usd("0", "0.00")],
      [shop.ids.SAM, 2, usd("995", "9.95"), usd("-995", "-9.95"), usd("0", "0.00")],
      [shop.ids.ROOT, 3, usd("597", "5.97"), usd("-597", "-5.97"), usd("0", "0.00")],
    ]);
    expect(lineA[1]!.explanation).toEqual({
      order_line: {
        sku: "IPOD2008PINK",
        platform_variant_id: "808950810",
        quantity: 1,
        class_matched_by: "sku",
        net: usd("19900", "199.00"),
        shipping_share: usd("0", "0.00"),
        tax_share: usd("0", "0.00"),
        base: usd("19900", "199.00"),
      },
      // SAM is third on the chain (MIKE, inactive, was compressed) and holds level 2.
      upline_node: { chain_index: 2, status: "active", sponsor_depth: 1 },
      component: { type: "unilevel", compression: "dynamic", compressed: [shop.ids.MIKE] },
      settings: { includeShipping: false, includeTax: false },
    });
    const lineB = body.commission.lines.filter((line) => line.order_line_id === LINE_B);
    expect(lineB.map((line) => line.net)).toEqual([usd("1990", "19.90"), usd("995", "9.95"), usd("597", "5.97")]);
    expect(body.commission.reversals.map((reversal) => [reversal.source, reversal.lines.length])).toEqual([["9001", 3]]);
    expect(body.commission.snapshot.planVersion.version).toBe(1);
    expect(body.commission.snapshot.upline).toHaveLength(4);
    expect(body.ledger.map((transaction) => transaction.kind).sort()).toEqual([
      "commission",
      "commission",
      "commission",
      "commission_reversal",
      "commission_reversal",
      "commission_reversal",
    ]);
  });

  it("answers 404 for an unknown order and 403 without orders:read", async () => {
    expect((await get("/api/v1/orders/does-not-exist/commissions")).status).toBe(404);
    const ledgerOnly = (await createApiToken(db(), shop.shopId, "ledger", ["ledger:read"])).token;
    expect((await get("/api/v1/orders/8001/commissions", ledgerOnly)).status).toBe(403);
  });
});

describe("GET /api/v1/reconciliation", () => {
  it("reports the day's expected commissions against the ledger, delta 0", async () => {
    const response = await get("/api/v1/reconciliation?date=2022-01-01");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      date: "2022-01-01",
      balanced: true,
      orders_compared: 1,
      totals: [{ currency: "USD", expected: usd("3582", "35.82"), ledger: usd("3582", "35.82"), delta: usd("0", "0.00") }],
      items: [],
      replay_mismatches: [],
      unevaluated_order_ids: [],
      unapplied_refund_ids: [],
      refund_gaps: [],
      dropped_money: [],
      company_wallet: [],
      unowned_volume: [],
      payouts: { as_of: expect.any(String), balanced: true, currencies: [], mismatched_items: 0, mismatches: [] },
    });
  });

  it("is also run by the repeatable job, which stores the report of every day touched since its last run", async () => {
    const run = await runReconciliation(db());
    expect(run.unbalanced).toBe(0);
    const stored = await db().reconciliationReport.findUniqueOrThrow({ where: { shopId_day: { shopId: shop.shopId, day: new Date("2022-01-01T00:00:00Z") } } });
    expect(stored).toMatchObject({ balanced: true, report: { date: "2022-01-01", balanced: true, orders_compared: 1 } });
  });

  it("answers 400 to a malformed date", async () => {
    const response = await get("/api/v1/reconciliation?date=2022-13-01");
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });
});
