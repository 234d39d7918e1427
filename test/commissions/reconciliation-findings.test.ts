/**
 * Reconciliation compares against what the platform itself reported, not only our ledger (issue 11, "reports can
 * tell"). Each day below had money go wrong while the old report said delta 0; every scenario is delivered as
 * signed Shopify webhooks through the ingest route and read back through GET /api/v1/reconciliation.
 *
 * The seeded plan pays 10 / 5 / 3 % (JANE01, SAM, ROOT; MIKE inactive, compressed) on the sample's two standard
 * lines of 199.00: 39.80 + 19.90 + 11.94 = 71.64 per order.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { parseJsonLossless } from "~/domain/platforms/json";
import { record } from "~test/support/platforms/json-edit";
import { walletPendingAccount, commissionExpenseAccount } from "~/domain/ledger";
import { createApiToken } from "~/services/api/tokens.server";
import { publishPlanVersion } from "~/services/commissions/setup.server";
import { dashboardSummary } from "~/services/dashboard.server";
import { ensureCompanyNode } from "~/services/genealogy/company-node.server";
import { postTransactions } from "~/services/ledger/post.server";
import { runReconciliation } from "../../workers/reconcile";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { orderBody, orderRow, refundBody, LINE_A, seedShop, type SeededShop } from "./support";

const app = runAppAndWorkers();
let shop: SeededShop;
let token: string;

beforeAll(async () => {
  shop = await seedShop();
  token = (await createApiToken(db(), shop.shopId, "reconciler", ["ledger:read"])).token;
});

const money = (minor: string, amount: string, currency = "USD") => ({ amount_minor: minor, amount, currency });

async function deliver(body: string, topic: string) {
  const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId: randomUUID() }));
  expect(response.status).toBe(200);
}

async function paidOrder(orderId: string, body: string): Promise<string> {
  await deliver(body, "orders/paid");
  const order = await waitUntil(() => orderRow(shop.shopId, orderId), 20_000, "the order");
  await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, "the commission");
  return order.id;
}

interface Report {
  balanced: boolean;
  totals: { currency: string; expected: unknown; ledger: unknown; delta: unknown }[];
  items: { order_id: string; status: string; delta: unknown }[];
  refund_gaps: {
    order_id: string;
    kind: string;
    refund_id: string | null;
    platform_refunded: unknown;
    expected_reversal: unknown;
    applied_reversal: unknown;
  }[];
  dropped_money: unknown[];
  company_wallet: unknown[];
  unowned_volume: unknown[];
  unapplied_refund_ids: string[];
}

async function reconciliation(date: string): Promise<Report> {
  const response = await fetch(`${app.server.url}/api/v1/reconciliation?date=${date}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as Report;
}

describe("reconciliation against the platform's refunds", () => {
  it("a refund whose reversal was rejected is a gap, and the day is not delta 0", async () => {
    const orderId = await paidOrder("7101", orderBody("7101", { createdAt: "2022-01-10T12:00:00Z" }));
    // The refund names another currency than the order: its reversal is refused and nothing is taken back.
    await deliver(refundBody("7101", "7201", [LINE_A]).replaceAll('"USD"', '"EUR"'), "refunds/create");
    await waitUntil(() => db().commissionReversal.findFirst({ where: { shopId: shop.shopId, orderId } }), 20_000, "the reversal");
    expect((await db().commissionReversal.findFirstOrThrow({ where: { shopId: shop.shopId, orderId } })).status).toBe("rejected");

    const report = await reconciliation("2022-01-10");
    expect(report.balanced).toBe(false);
    expect(report.unapplied_refund_ids).toEqual([]);
    expect(report.refund_gaps).toEqual([
      {
        order_id: orderId,
        kind: "rejected",
        refund_id: "7201",
        platform_refunded: money("19900", "199.00"),
        expected_reversal: money("0", "0.00"),
        applied_reversal: money("0", "0.00"),
      },
    ]);
  });

  it("an order Shopify says is refunded in full, with no refund ever received, must net to 0", async () => {
    const orderId = await paidOrder("7102", orderBody("7102", { createdAt: "2022-01-11T12:00:00Z" }));
    const updated = record(parseJsonLossless(orderBody("7102", { createdAt: "2022-01-11T12:00:00Z", updatedAt: "2022-01-12T00:00:00Z" })));
    updated.financial_status = "refunded";
    await deliver(JSON.stringify(updated), "orders/updated");
    await waitUntil(async () => (await orderRow(shop.shopId, "7102"))?.status === "refunded", 20_000, "the refunded status");

    const report = await reconciliation("2022-01-11");
    expect(report.balanced).toBe(false);
    expect(report.refund_gaps).toEqual([
      {
        order_id: orderId,
        kind: "not_fully_reversed",
        refund_id: null,
        platform_refunded: money("0", "0.00"),
        expected_reversal: money("-7164", "-71.64"),
        applied_reversal: money("0", "0.00"),
      },
    ]);
    // The ledger still holds 71.64 the platform says should be gone.
    expect(report.totals).toEqual([{ currency: "USD", expected: money("0", "0.00"), ledger: money("7164", "71.64"), delta: money("7164", "71.64") }]);
    expect(report.items).toEqual([
      { order_id: orderId, status: "unexpected_in_ledger", expected: money("0", "0.00"), ledger: money("7164", "71.64"), delta: money("7164", "71.64") },
    ]);
  });

  it("a refund fully reversed leaves the day balanced", async () => {
    const orderId = await paidOrder("7103", orderBody("7103", { createdAt: "2022-01-12T12:00:00Z" }));
    await deliver(refundBody("7103", "7203", [LINE_A]), "refunds/create");
    await waitUntil(() => db().commissionReversal.findFirst({ where: { shopId: shop.shopId, orderId } }), 20_000, "the reversal");
    const report = await reconciliation("2022-01-12");
    expect(report).toMatchObject({ balanced: true, refund_gaps: [], items: [] });
    expect(report.totals).toEqual([{ currency: "USD", expected: money("3582", "35.82"), ledger: money("3582", "35.82"), delta: money("0", "0.00") }]);
  });
});

describe("money dropped by the engine", () => {
  it("a plan amount in USD on a EUR order is expected and unpaid: the USD delta is not 0", async () => {
    // From mid-February the first level of the standard class pays a flat 5.00 USD per unit.
    const percent = (value: string) => ({ kind: "percent", percent: value });
    await publishPlanVersion(
      db(),
      shop.shopId,
      {
        schemaVersion: 1,
        components: [
          {
            type: "unilevel",
            id: "unilevel",
            maxDepth: 3,
            compression: "dynamic",
            rates: {
              standard: [{ kind: "fixed_per_unit", amountMinor: "500", currency: "USD" }, percent("5"), percent("3")],
              general: [percent("4"), percent("2"), percent("1")],
            },
          },
        ],
      },
      "2022-02-15T00:00:00Z",
      "test",
    );
    const orderId = await paidOrder("7104", orderBody("7104", { createdAt: "2022-03-01T12:00:00Z" }).replaceAll('"USD"', '"EUR"'));

    const report = await reconciliation("2022-03-01");
    expect(report.balanced).toBe(false);
    // JANE01's 5.00 USD on each of the two lines was skipped; SAM 19.90 and ROOT 11.94 EUR were paid.
    expect(report.dropped_money).toEqual([
      { order_id: orderId, reason: "rate_currency_mismatch", rule: "unilevel", order_line_id: "866550311766439020", level: 1, amount: money("500", "5.00") },
      { order_id: orderId, reason: "rate_currency_mismatch", rule: "unilevel", order_line_id: "141249953214522974", level: 1, amount: money("500", "5.00") },
    ]);
    expect(report.totals).toEqual([
      { currency: "EUR", expected: money("3184", "31.84", "EUR"), ledger: money("3184", "31.84", "EUR"), delta: money("0", "0.00", "EUR") },
      { currency: "USD", expected: money("1000", "10.00"), ledger: money("0", "0.00"), delta: money("-1000", "-10.00") },
    ]);
    expect(report.items).toEqual([
      { order_id: orderId, status: "dropped", expected: money("1000", "10.00"), ledger: money("0", "0.00"), delta: money("-1000", "-10.00") },
    ]);
  });
});

describe("the company node's wallet", () => {
  it("must hold nothing: a balance left by entries written before the company node stopped being paid is a finding", async () => {
    const company = await db().$transaction((tx) => ensureCompanyNode(tx, shop.shopId));
    // What the close paid the company node before issue 11's fix: a matching bonus of 5.97 to its pending wallet.
    await db().$transaction((tx) =>
      postTransactions(tx, shop.shopId, [
        {
          idempotencyKey: "legacy-close:2022-01:matching:company",
          kind: "period_commission",
          occurredAt: "2022-01-31T23:59:59.000Z",
          metadata: {
            shopId: shop.shopId,
            periodId: randomUUID(),
            periodKey: "2022-01",
            revision: 1,
            rule: "matching",
            kind: "matching",
            distributorId: company.id,
          },
          postings: [
            { account: commissionExpenseAccount(shop.shopId, "USD"), amountMinor: 597n, currency: "USD" },
            { account: walletPendingAccount(shop.shopId, "USD", company.id), amountMinor: -597n, currency: "USD" },
          ],
        },
      ]),
    );
    const report = await reconciliation("2022-01-12");
    expect(report.balanced).toBe(false);
    expect(report.company_wallet).toEqual([{ distributor_id: company.id, balance: money("597", "5.97") }]);
  });

  it("the admin dashboard lists the unbalanced days the job stored, and why", async () => {
    await runReconciliation(db(), new Date("2022-03-02T00:00:00Z"));
    const dashboard = await dashboardSummary(db(), shop.shopId);
    const byDay = Object.fromEntries(dashboard.unbalancedDays.map((day) => [day.day, day]));
    expect(byDay["2022-03-01"]).toMatchObject({
      reasons: [
        "2 plan amounts not paid (currency mismatch)",
        "1 balances in the company node's wallet",
        "1 orders whose ledger differs from what they should pay",
      ],
      deltas: ["-10.00 USD"],
    });
    expect(byDay["2022-01-11"]?.reasons).toContain("1 refunds not (fully) reversed");
    expect(byDay["2022-01-11"]?.deltas).toEqual(["71.64 USD"]);
  });
});
