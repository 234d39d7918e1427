/**
 * Issue 11 item 3: a payout decision nets every balance brought forward, debts included. Worked example, to the
 * cent, through the product's paths (signed Shopify orders and refund, the hold-release job, POST
 * /api/v1/periods/close) and read back with GET /api/v1/periods/:id and GET /api/v1/distributors/:id/ledger.
 *
 * ZOE refers three orders; the plan (monthly, minimum payout 10.00) pays her a fixed amount per unit, by class:
 *   January   order 9701 (2 units of SKU-50 at 25.00) → 50.00; January's decision pays 50.00
 *   1 Feb     the hold ends (refund window 1 day): the 50.00 moves to her available wallet
 *   February  order 9701 is refunded in full → 50.00 clawed back from the available wallet;
 *             order 9702 (2 × SKU-30 at 15.00) → 30.00
 *             decision: carried in −50.00 + earned 30.00 = −20.00 → nothing paid, debt of 20.00 carried
 *   March     order 9703 (2 × SKU-80 at 40.00) → 80.00
 *             decision: carried in −20.00 + earned 80.00 = 60.00 → 60.00 paid
 * Before the fix February "paid" 30.00 (the clawback was not in the decision) and March paid 80.00.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { createApiToken } from "~/services/api/tokens.server";
import { releaseDueHolds } from "~/services/commissions/holds.server";
import { createCommissionClass, mapSku, publishPlanVersion, updateCommissionSettings } from "~/services/commissions/setup.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { LINE_A, LINE_B, orderBody, orderRow } from "../commissions/support";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";
import { datedRefundBody, firstPeriodJobDone } from "./support";

const app = runAppAndWorkers();
let shopId: string;
let token: string;
let zoe: string;

const perUnit = (amountMinor: string) => [{ kind: "fixed_per_unit", amountMinor, currency: "USD" }];
const PLAN = {
  schemaVersion: 1,
  period: { schedule: "monthly", minimumPayout: { amountMinor: "1000", currency: "USD" } },
  components: [
    { type: "unilevel", id: "unilevel", maxDepth: 1, compression: "dynamic", rates: { c50: perUnit("2500"), c30: perUnit("1500"), c80: perUnit("4000") } },
  ],
};

const deliver = async (body: string, topic: string) =>
  expect((await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId: randomUUID() }))).status).toBe(200);

async function commissionOf(platformOrderId: string) {
  const order = await waitUntil(() => orderRow(shopId, platformOrderId), 20_000, `order ${platformOrderId}`);
  return waitUntil(() => db().commission.findFirst({ where: { shopId, orderId: order.id } }), 20_000, `commission of ${platformOrderId}`);
}

const api = (path: string, body?: unknown) =>
  fetch(`${app.server.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json", "Idempotency-Key": randomUUID() }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

type Money = { amount_minor: string; currency: string } | null;
interface PayoutJson {
  distributor_id: string;
  carried_in: Money;
  earned: Money;
  payable: Money;
  decision: string;
  paid: Money;
  carried_out: Money;
}

async function closeAndReadPayouts(start: string): Promise<Record<string, string>[]> {
  const closed = await api("/api/v1/periods/close", { period_start: start });
  expect(closed.status).toBe(200);
  const { period } = (await closed.json()) as { period: { id: string } };
  const detail = (await (await api(`/api/v1/periods/${period.id}`)).json()) as { payouts: PayoutJson[] };
  return detail.payouts.map((payout) => ({
    distributor: payout.distributor_id === zoe ? "ZOE" : payout.distributor_id,
    carried_in: payout.carried_in!.amount_minor,
    earned: payout.earned!.amount_minor,
    payable: payout.payable!.amount_minor,
    decision: payout.decision,
    paid: payout.paid!.amount_minor,
    carried_out: payout.carried_out!.amount_minor,
  }));
}

beforeAll(async () => {
  await firstPeriodJobDone();
  shopId = (await ensureShopifyShop(db(), TEST_SHOP)).id;
  token = (await createApiToken(db(), shopId, "payouts", ["periods:read", "periods:write", "ledger:read"])).token;
  await updateCommissionSettings(db(), shopId, { refundWindowDays: 1 }, "test");
  zoe = (await enrollDistributor(db(), shopId, { code: "ZOE", enrolledAt: "2025-12-01T00:00:00Z" })).id;
  await createCommissionClass(db(), shopId, { key: "general", name: "General", isDefault: true });
  for (const key of ["c50", "c30", "c80"]) {
    await createCommissionClass(db(), shopId, { key, name: key });
    await mapSku(db(), shopId, { platform: "shopify", sku: `SKU-${key.slice(1)}`, classKey: key });
  }
  await publishPlanVersion(db(), shopId, PLAN, "2026-01-01T00:00:00Z", "test");
  for (const [orderId, sku, createdAt] of [
    ["9701", "SKU-50", "2026-01-10T10:00:00Z"],
    ["9702", "SKU-30", "2026-02-10T10:00:00Z"],
    ["9703", "SKU-80", "2026-03-10T10:00:00Z"],
  ] as const) {
    await deliver(orderBody(orderId, { ref: "ZOE", sku, createdAt }), "orders/paid");
    expect((await commissionOf(orderId)).paidMinor).toBe({ "9701": 5_000n, "9702": 3_000n, "9703": 8_000n }[orderId]);
  }
});

describe("payout decisions net the balance brought forward", () => {
  it("January pays the 50.00 earned", async () => {
    expect(await closeAndReadPayouts("2026-01-01")).toEqual([
      { distributor: "ZOE", carried_in: "0", earned: "5000", payable: "5000", decision: "pay", paid: "5000", carried_out: "0" },
    ]);
  });

  it("a refund after the hold's release claws 50.00 back from the available wallet", async () => {
    const released = await releaseDueHolds(db(), { shopId, now: new Date("2026-02-01T00:00:00Z") });
    expect(released.commissions).toBe(1);
    await deliver(datedRefundBody("9701", "97011", [LINE_A, LINE_B], "2026-02-05T10:00:00Z"), "refunds/create");
    const commission = await commissionOf("9701");
    await waitUntil(() => db().commissionReversal.findFirst({ where: { shopId, commissionId: commission.id, status: "applied" } }), 20_000, "the reversal");
    const ledger = (await (await api(`/api/v1/distributors/${zoe}/ledger`)).json()) as {
      entries: { wallet: string; amount: { amount_minor: string }; occurred_at: string }[];
    };
    expect(ledger.entries.filter((entry) => entry.occurred_at.startsWith("2026-02-05")).map((entry) => [entry.wallet, entry.amount.amount_minor])).toEqual([
      ["available", "-5000"],
    ]);
  });

  it("February: owing 50.00 and earning 30.00 pays nothing and carries a debt of 20.00", async () => {
    expect(await closeAndReadPayouts("2026-02-01")).toEqual([
      { distributor: "ZOE", carried_in: "-5000", earned: "3000", payable: "-2000", decision: "carry_debt", paid: "0", carried_out: "-2000" },
    ]);
  });

  it("March: the 80.00 earned pays 60.00 net of the debt", async () => {
    expect(await closeAndReadPayouts("2026-03-01")).toEqual([
      { distributor: "ZOE", carried_in: "-2000", earned: "8000", payable: "6000", decision: "pay", paid: "6000", carried_out: "0" },
    ]);
  });
});
