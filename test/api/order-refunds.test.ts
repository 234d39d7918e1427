/**
 * POST /api/v1/orders/:id/refunds and /cancel (issue 11, item 9): an order taken by the REST API can be refunded
 * and cancelled, through the inbox and the worker, with the semantics of platform refunds; read back through
 * GET /api/v1/orders/:id/commissions.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { waitUntil } from "../support/deliveries";
import { seedShop, type SeededShop } from "../commissions/support";

const app = runAppAndWorkers();
let shop: SeededShop;
let token: string;

beforeAll(async () => {
  shop = await seedShop();
  token = (await createApiToken(db(), shop.shopId, "api", ["orders:write", "orders:read"])).token;
});

const usd = (minor: string, amount: string) => ({ amount_minor: minor, amount, currency: "USD" });

function post(path: string, body: unknown, key: string | null = randomUUID()) {
  const headers: Record<string, string> = { "Content-Type": "application/json", Authorization: `Bearer ${token}` };
  if (key) headers["Idempotency-Key"] = key;
  return fetch(`${app.server.url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
}

async function totals(orderId: string) {
  const response = await fetch(`${app.server.url}/api/v1/orders/${orderId}/commissions`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { commission: { totals: { paid: unknown; reversed: unknown; net: unknown } } }).commission.totals;
}

async function settled(count: number) {
  await waitUntil(
    async () => (await db().webhookEvent.count({ where: { shopId: shop.shopId, platform: "api", status: { in: ["pending", "processing", "failed"] } } })) === 0,
    20_000,
    "the API events",
  );
  return waitUntil(async () => (await db().commissionReversal.count({ where: { shopId: shop.shopId } })) >= count, 20_000, `${count} reversals`);
}

/** Two lines of 100.00 net on the general class (4 / 2 / 1 % to JANE01, SAM, ROOT): 14.00 paid in all. */
async function apiOrder(id: string) {
  const order = {
    platform_order_id: id,
    ordered_at: "2022-01-01T00:00:00Z",
    currency: "USD",
    referrer_id: "JANE01",
    items: [
      { sku: "GEN-1", quantity: 2, unit_price: "50.00" },
      { sku: "GEN-2", quantity: 1, unit_price: "100.00" },
    ],
    shipping: "10.00",
  };
  expect((await post("/api/v1/orders", order)).status).toBe(202);
  const stored = await waitUntil(() => db().order.findFirst({ where: { shopId: shop.shopId, platform: "api", platformOrderId: id } }), 20_000, "the order");
  await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: stored.id } }), 20_000, "the commission");
  expect(await totals(id)).toMatchObject({ paid: usd("1400", "14.00") });
}

describe("POST /api/v1/orders/:id/refunds and /cancel", () => {
  it("refunds a line by quantity once per refund_id, an amount in proportion, and a cancellation takes back the rest", async () => {
    await apiOrder("API-R1");
    const first = await post("/api/v1/orders/API-R1/refunds", { refund_id: "R-1", lines: [{ line_id: "1", quantity: 1 }] });
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ platform_order_id: "API-R1", refund_id: "R-1", status: "accepted", duplicate: false });
    await settled(1);
    // One of two units of line 1: half of 4.00 + 2.00 + 1.00.
    expect(await totals("API-R1")).toMatchObject({ reversed: usd("-350", "-3.50"), net: usd("1050", "10.50") });

    // The same refund again under another key: accepted as a duplicate, reversed nothing more.
    const again = await post("/api/v1/orders/API-R1/refunds", { refund_id: "R-1", lines: [{ line_id: "1", quantity: 1 }] });
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ duplicate: true });

    // 21.00 with no line, after 50.00 went back: 21/160 of what the buyer has not been refunded yet (210.00 − 50.00), so
    // 21/160 of the 150.00 of base left (50.00 and 100.00) = 19.6875, i.e. 7 % → 1.38 over six entries, each rounded
    // half-even on its cumulative fraction (refunds/reversal.ts).
    expect((await post("/api/v1/orders/API-R1/refunds", { refund_id: "R-2", amount: "21.00" })).status).toBe(202);
    await settled(2);
    expect(await totals("API-R1")).toMatchObject({ reversed: usd("-488", "-4.88"), net: usd("912", "9.12") });

    const cancel = await post("/api/v1/orders/API-R1/cancel", {});
    expect(cancel.status).toBe(202);
    await settled(3);
    expect(await totals("API-R1")).toMatchObject({ reversed: usd("-1400", "-14.00"), net: usd("0", "0.00") });
    expect(await (await post("/api/v1/orders/API-R1/cancel", {})).json()).toMatchObject({ duplicate: true });
    expect(await db().commissionReversal.count({ where: { shopId: shop.shopId } })).toBe(3);
  });

  it("answers problem+json: 404 for an unknown order, 422 for a line the order lacks or no part at all, 400 without an Idempotency-Key", async () => {
    await apiOrder("API-R2");
    const unknown = await post("/api/v1/orders/NOPE/refunds", { refund_id: "X", amount: "1.00" });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json");
    const badLine = await post("/api/v1/orders/API-R2/refunds", { refund_id: "X", lines: [{ line_id: "9", quantity: 1 }] });
    expect(badLine.status).toBe(422);
    expect(await badLine.json()).toMatchObject({ type: "urn:upline:problem:validation-failed", errors: [{ field: "lines.0.line_id" }] });
    const nothing = await post("/api/v1/orders/API-R2/refunds", { refund_id: "X" });
    expect(nothing.status).toBe(422);
    expect((await post("/api/v1/orders/API-R2/cancel", {}, null)).status).toBe(400);
  });
});
