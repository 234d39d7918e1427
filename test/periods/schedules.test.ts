/**
 * Two period schedules in one plan end to end (issue 11): a weekly 5% unilevel ("weekly-uni", paid from 30.00)
 * beside the monthly rest (a 10% unilevel, paid from 100.00). The shop and plan come through the product's
 * paths, the orders as signed Shopify webhooks (each sample order 398.00, referred by JANE01), the periods are
 * cut by the calendar and closed through POST /api/v1/periods/close, read back through GET /api/v1/periods.
 *
 *   week 10 (order of Mar 5)    weekly 19.90 < 30.00                    → deferred
 *   week 11 (order of Mar 10)   weekly 19.90 + 19.90 deferred = 39.80  → paid
 *   March                       monthly 39.80 + 39.80 = 79.60 < 100.00  → deferred (with the weekly 39.80 it
 *                               would be 119.40: the two schedules' balances are never combined)
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { createCommissionClass, publishPlanVersion, updateCommissionSettings } from "~/services/commissions/setup.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { orderBody, orderRow } from "../commissions/support";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { firstPeriodJobDone } from "./support";

const app = runAppAndWorkers();
const domain = "period-schedules.myshopify.com";
let shopId: string;
let token: string;

const unilevel = (id: string, percent: string) => ({
  type: "unilevel",
  id,
  maxDepth: 1,
  compression: "dynamic",
  rates: { general: [{ kind: "percent", percent }] },
});

beforeAll(async () => {
  await firstPeriodJobDone();
  shopId = (await ensureShopifyShop(db(), domain)).id;
  await updateCommissionSettings(db(), shopId, { refundWindowDays: 3_650 }, "test");
  await enrollDistributor(db(), shopId, { code: "ROOT", enrolledAt: "2026-01-01T00:00:00Z" });
  await enrollDistributor(db(), shopId, { code: "JANE01", sponsorCode: "ROOT", enrolledAt: "2026-01-02T00:00:00Z" });
  await createCommissionClass(db(), shopId, { key: "general", name: "General", isDefault: true });
  await publishPlanVersion(
    db(),
    shopId,
    {
      schemaVersion: 1,
      period: { schedule: "monthly", minimumPayout: { amountMinor: "10000", currency: "USD" } },
      additionalSchedules: [{ schedule: "weekly", minimumPayout: { amountMinor: "3000", currency: "USD" }, components: ["weekly-uni"] }],
      components: [unilevel("monthly-uni", "10"), unilevel("weekly-uni", "5")],
    },
    "2026-02-23T00:00:00Z",
    "test",
  );
  token = (await createApiToken(db(), shopId, "periods", ["periods:read", "periods:write"])).token;
  for (const [orderId, createdAt] of [
    ["11201", "2026-03-05T10:00:00Z"],
    ["11202", "2026-03-10T10:00:00Z"],
  ] as const) {
    const response = await fetch(
      `${app.server.url}/ingest/shopify`,
      shopifyDelivery(orderBody(orderId, { createdAt }), { webhookId: randomUUID(), shop: domain }),
    );
    expect(response.status).toBe(200);
    const order = await waitUntil(() => orderRow(shopId, orderId), 20_000, `order ${orderId}`);
    await waitUntil(() => db().commission.findFirst({ where: { shopId, orderId: order.id } }), 20_000, `the commission of ${orderId}`);
  }
});

async function close(periodStart: string, schedule: "weekly" | "monthly") {
  const response = await fetch(`${app.server.url}/api/v1/periods/close`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
    body: JSON.stringify({ period_start: periodStart, schedule }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { action: string; period: { key: string; schedule: string }; summary: { deferredPayouts: number } };
}

describe("a weekly schedule beside the monthly one, closed through the REST API", () => {
  it("cuts both calendars and decides each schedule's payouts on its own balance and minimum", async () => {
    expect((await close("2026-02-01", "monthly")).period.key).toBe("2026-02");
    expect((await close("2026-02-23", "weekly")).period.key).toBe("2026-W09");
    const week10 = await close("2026-03-02", "weekly");
    expect(week10).toMatchObject({ action: "closed", period: { key: "2026-W10", schedule: "weekly" }, summary: { deferredPayouts: 1 } });
    const week11 = await close("2026-03-09", "weekly");
    expect(week11).toMatchObject({ action: "closed", period: { key: "2026-W11", schedule: "weekly" }, summary: { deferredPayouts: 0 } });
    const march = await close("2026-03-01", "monthly");
    expect(march).toMatchObject({ action: "closed", period: { key: "2026-03", schedule: "monthly" }, summary: { deferredPayouts: 1 } });

    const stored = await db().commissionPeriod.findMany({
      where: { shopId, key: { in: ["2026-W10", "2026-W11", "2026-03"] } },
      select: { key: true, carryOut: true },
    });
    const deferred = Object.fromEntries(
      stored.map((row) => [row.key, (JSON.parse(row.carryOut!) as { deferredPayouts: { amountMinor: string }[] }).deferredPayouts.map((d) => d.amountMinor)]),
    );
    expect(deferred).toEqual({ "2026-W10": ["1990"], "2026-W11": [], "2026-03": ["7960"] });

    const list = await fetch(`${app.server.url}/api/v1/periods?status=closed&limit=200`, { headers: { Authorization: `Bearer ${token}` } });
    const { periods } = (await list.json()) as { periods: { key: string; schedule: string }[] };
    expect(periods.map((period) => `${period.schedule} ${period.key}`).sort()).toEqual([
      "monthly 2026-02",
      "monthly 2026-03",
      "weekly 2026-W09",
      "weekly 2026-W10",
      "weekly 2026-W11",
    ]);
  });
});
