import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { createApiToken } from "~/services/api/tokens.server";
import { withIdempotency } from "~/services/api/idempotency.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { waitUntil } from "../support/deliveries";

const app = runAppAndWorkers();
let token: string;
let shopId: string;

beforeAll(async () => {
  shopId = (await ensureShopifyShop(db(), "api-shop.myshopify.com")).id;
  token = (await createApiToken(db(), shopId, "seed script", ["orders:write"])).token;
});

const seedOrder = {
  platform_order_id: "820982911946154508",
  currency: "USD",
  customer_id: "115310627314723954",
  referrer_id: "JANE01",
  items: [
    { sku: "UPL-SHAKE-VAN", quantity: 2, unit_price: "25.00", discount: "5.00", tax: "3.60" },
    { sku: "UPL-HOODIE-S", quantity: 1, unit_price: "30.00" },
  ],
  shipping: "7.50",
};

function post(body: unknown, key: string | null, auth = `Bearer ${token}`) {
  const headers: Record<string, string> = { "Content-Type": "application/json", Authorization: auth };
  if (key) headers["Idempotency-Key"] = key;
  return fetch(`${app.server.url}/api/v1/orders`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

describe("POST /api/v1/orders", () => {
  it("accepts an order, stores it through the worker, and replays the identical response for the same key", async () => {
    const key = randomUUID();
    const first = await post(seedOrder, key);
    expect(first.status).toBe(202);
    const firstBody = await first.text();
    expect(JSON.parse(firstBody)).toMatchObject({ platform_order_id: "820982911946154508", status: "accepted", duplicate: false });

    const replay = await post({ ...seedOrder }, key);
    expect(replay.status).toBe(202);
    expect(await replay.text()).toBe(firstBody);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");

    const order = await waitUntil(
      () =>
        db().order.findFirst({
          where: { shopId, platform: "api", platformOrderId: "820982911946154508" },
          include: { lines: { orderBy: { position: "asc" } } },
        }),
      20_000,
      "the API order",
    );
    expect(order.referralCode).toBe("JANE01");
    expect(order.lines.map((line) => [line.sku, line.quantity, line.unitPriceMinor, line.discountMinor, line.netMinor])).toEqual([
      ["UPL-SHAKE-VAN", 2, 2_500n, 500n, 4_500n],
      ["UPL-HOODIE-S", 1, 3_000n, 0n, 3_000n],
    ]);
    expect(order.totalMinor).toBe(4_500n + 360n + 3_000n + 750n);
    expect(await db().webhookEvent.count({ where: { shopId, platform: "api" } })).toBe(1);
  });

  it("answers 422 when the same key comes with a different body", async () => {
    const key = randomUUID();
    expect((await post({ ...seedOrder, platform_order_id: "A-1" }, key)).status).toBe(202);
    const reused = await post({ ...seedOrder, platform_order_id: "A-2" }, key);
    expect(reused.status).toBe(422);
    expect(reused.headers.get("content-type")).toBe("application/problem+json");
    expect(await reused.json()).toMatchObject({ type: "urn:upline:problem:idempotency-key-reused", status: 422 });
  });

  it("answers 409 while the first request with a key is still running", async () => {
    const request = { shopId, key: randomUUID(), method: "POST", path: "/api/v1/orders", fingerprint: "{}" };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = withIdempotency(db(), request, async () => {
      await gate;
      return { status: 202, body: { ok: true } };
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await withIdempotency(db(), request, async () => ({ status: 202, body: { ok: "twice" } }));
    expect(second.status).toBe(409);
    release();
    expect((await first).status).toBe(202);
    const third = await withIdempotency(db(), request, async () => ({ status: 500, body: {} }));
    expect(await third.json()).toEqual({ ok: true });
  });

  it("collapses concurrent requests with one key into one stored order event", async () => {
    const key = randomUUID();
    const body = { ...seedOrder, platform_order_id: "C-1" };
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(body, key)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((status) => status === 202 || status === 409)).toBe(true);
    expect(statuses.filter((status) => status === 202).length).toBeGreaterThanOrEqual(1);
    expect(await db().webhookEvent.count({ where: { shopId, platform: "api", rawBody: { contains: '"C-1"' } } })).toBe(1);
  });

  it("names the invalid fields in a problem+json 422, and replays it", async () => {
    const key = randomUUID();
    const invalid = { currency: "dollars", items: [{ sku: "X", quantity: 0, unit_price: "1.5.0" }] };
    const response = await post(invalid, key);
    expect(response.status).toBe(422);
    const body = (await response.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(["currency", "items.0.quantity", "items.0.unit_price", "platform_order_id"]));
    expect((await post(invalid, key)).status).toBe(422);
  });

  it("refuses requests without a valid token or an Idempotency-Key", async () => {
    const noToken = await post(seedOrder, randomUUID(), "");
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get("www-authenticate")).toContain("Bearer");
    expect((await post(seedOrder, randomUUID(), "Bearer upl_notarealtokennotarealtoken")).status).toBe(401);
    const readOnly = (await createApiToken(db(), shopId, "reader", ["orders:read"])).token;
    expect((await post(seedOrder, randomUUID(), `Bearer ${readOnly}`)).status).toBe(403);
    const noKey = await post(seedOrder, null);
    expect(noKey.status).toBe(400);
    expect(await noKey.json()).toMatchObject({ type: "urn:upline:problem:idempotency-key-required" });
    expect((await post("{not json", randomUUID())).status).toBe(400);
  });
});
