/**
 * Issue 11's per-order plan capabilities end to end: a plan that rounds toward zero, pays level 2 a percent
 * of level 1's commission and level 3 a flat amount once per order, published through the product's path;
 * Shopify's sample order and refund delivered as signed webhooks through the ingest route and the worker; the
 * amounts read back through GET /api/v1/orders/:id/commissions.
 *
 * The sample order has two lines of 199.00 in the default class "general". Per line:
 *   L1 JANE01  12.5% of 199.00 = 24.875       → toward zero 24.87 (half-even would pay 24.88)
 *   L2 SAM     50% of JANE01's 24.87 = 12.435 → toward zero 12.43 (half-even would pay 12.44)
 *   L3 TOP     3.00 once per order, spread over the two equal lines: 1.50 + 1.50
 * Order: JANE01 49.74, SAM 24.86, TOP 3.00 = 77.60. A refund of line A takes back 24.87 + 12.43 + 1.50 = 38.80.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { createCommissionClass, publishPlanVersion, updateCommissionSettings } from "~/services/commissions/setup.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { LINE_A, LINE_B, orderBody, orderRow, refundBody, walletDeltas } from "./support";

const app = runAppAndWorkers();
const domain = "plan-capabilities.myshopify.com";
let shopId: string;
let token: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  shopId = (await ensureShopifyShop(db(), domain)).id;
  await updateCommissionSettings(db(), shopId, { refundWindowDays: 3_650 }, "test");
  await createCommissionClass(db(), shopId, { key: "general", name: "General", isDefault: true });
  for (const [code, sponsorCode, enrolledAt] of [
    ["TOP", null, "2021-01-01T00:00:00Z"],
    ["SAM", "TOP", "2021-01-02T00:00:00Z"],
    ["JANE01", "SAM", "2021-01-03T00:00:00Z"],
  ] as const) {
    ids[code] = (await enrollDistributor(db(), shopId, { code, sponsorCode, enrolledAt })).id;
  }
  await publishPlanVersion(
    db(),
    shopId,
    {
      schemaVersion: 1,
      rounding: "toward_zero",
      components: [
        {
          type: "unilevel",
          id: "unilevel",
          maxDepth: 3,
          compression: "dynamic",
          rates: {
            general: [
              { kind: "percent", percent: "12.5" },
              { kind: "percent_of_commission", percent: "50", of: "level_below" },
              { kind: "fixed_per_order", amountMinor: "300", currency: "USD" },
            ],
          },
        },
      ],
    },
    "2021-01-01T00:00:00Z",
    "test",
  );
  token = (await createApiToken(db(), shopId, "reader", ["orders:read"])).token;
});

async function deliver(body: string, topic: string) {
  const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId: randomUUID(), shop: domain }));
  expect(response.status).toBe(200);
}

const usd = (minor: string, amount: string) => ({ amount_minor: minor, amount, currency: "USD" });

interface CommissionsBody {
  commission: {
    totals: { paid: unknown; reversed: unknown; net: unknown };
    lines: { distributor_id: string; level: number; order_line_id: string; amount: unknown; reversed: unknown }[];
  };
}

describe("relative rates, a flat amount per order and a toward-zero plan, through signed webhooks", () => {
  it("pays each level exactly as the plan says and reverses a refunded line's share", async () => {
    await deliver(orderBody("11001"), "orders/paid");
    const order = await waitUntil(() => orderRow(shopId, "11001"), 20_000, "the order");
    await waitUntil(() => db().commission.findFirst({ where: { shopId, orderId: order.id } }), 20_000, "the commission");
    expect(await walletDeltas(shopId, order.id)).toEqual({ JANE01: 4_974n, SAM: 2_486n, TOP: 300n });

    await deliver(refundBody("11001", "11901", [LINE_A]), "refunds/create");
    await waitUntil(() => db().commissionReversal.findFirst({ where: { shopId, orderId: order.id } }), 20_000, "the reversal");
    expect(await walletDeltas(shopId, order.id)).toEqual({ JANE01: 2_487n, SAM: 1_243n, TOP: 150n });

    const response = await fetch(`${app.server.url}/api/v1/orders/11001/commissions`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as CommissionsBody;
    expect(body.commission.totals).toMatchObject({ paid: usd("7760", "77.60"), reversed: usd("-3880", "-38.80"), net: usd("3880", "38.80") });
    const byLine = (lineId: string) =>
      body.commission.lines.filter((line) => line.order_line_id === lineId).map((line) => [line.distributor_id, line.level, line.amount, line.reversed]);
    expect(byLine(LINE_A)).toEqual([
      [ids.JANE01, 1, usd("2487", "24.87"), usd("-2487", "-24.87")],
      [ids.SAM, 2, usd("1243", "12.43"), usd("-1243", "-12.43")],
      [ids.TOP, 3, usd("150", "1.50"), usd("-150", "-1.50")],
    ]);
    expect(byLine(LINE_B)).toEqual([
      [ids.JANE01, 1, usd("2487", "24.87"), usd("0", "0.00")],
      [ids.SAM, 2, usd("1243", "12.43"), usd("0", "0.00")],
      [ids.TOP, 3, usd("150", "1.50"), usd("0", "0.00")],
    ]);
  });
});
