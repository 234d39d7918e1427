/**
 * Payouts under concurrency (issue 12) and the payouts section of the reconciliation report: approvals of the same
 * run at once post once; a refund clawback landing while a run executes never pays twice and leaves the debt on
 * the wallet, exact to the cent; a clawback before approval cancels the undercut item. The reconciliation's
 * payouts section holds delta 0 throughout and reports an item whose ledger steps disagree with its status.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { reconcileShopDay } from "~/services/commissions/reconcile.server";
import { executePayoutRun } from "~/services/payouts/execute.server";
import { reconcilePayouts } from "~/services/payouts/reconcile.server";
import { stripeProvider } from "~/services/payouts/providers/stripe.server";
import type { Providers } from "~/services/payouts/providers/types";
import { approvePayoutRun, createPayoutRun } from "~/services/payouts/runs.server";
import { LINE_A, LINE_B, refundBody } from "../commissions/support";
import { runAppAndWorkers } from "../support/app-and-workers";
import { waitUntil } from "../support/deliveries";
import { startFakeStripe, type FakeStripe } from "../support/fakes/stripe";
import { accountSums, api, available, deliver, deliverOrder, releaseAll, seedPayoutShop, type PayoutShop } from "./support";

const app = runAppAndWorkers();
let shop: PayoutShop;
let stripe: FakeStripe;
let providers: Providers;

beforeAll(async () => {
  stripe = await startFakeStripe("sk_test_fake");
  stripe.delayMs = 0;
  providers = { stripe: stripeProvider({ baseUrl: stripe.url, secretKey: "sk_test_fake", timeoutMs: 20_000 }) };
  shop = await seedPayoutShop();
  const call = api(app.server.url, shop.token);
  for (const code of ["STR1", "STR2", "PAY1"] as const) {
    const body = { method: "stripe", details: { account_id: `acct_1${code}` } };
    expect((await call("POST", `/api/v1/distributors/${shop.ids[code]}/payout-method`, body)).status).toBe(200);
  }
}, 120_000);

afterAll(async () => {
  await stripe?.close();
});

const ledgerCount = (kind: "payout" | "payout_settlement" | "payout_reversal", runId: string) =>
  db().ledgerTransaction.count({ where: { shopId: shop.shopId, kind, metadata: { path: ["rule"], equals: `payout:${runId}` } } });

describe("payouts under concurrency", () => {
  it("three approvals of the same run at once: one approves and posts each item once, the others post nothing", async () => {
    await deliverOrder(app.server.url, shop.shopId, "7001", "STR1", "BIG");
    await deliverOrder(app.server.url, shop.shopId, "7002", "STR2", "SMALL");
    await releaseAll(shop.shopId);
    const { runId } = await createPayoutRun(db(), shop.shopId, { actor: "test" });
    const results = await Promise.all([1, 2, 3].map((n) => approvePayoutRun(db(), shop.shopId, runId, `approver-${n}`)));
    expect(results.map((r) => r.outcome).sort()).toEqual(["already_approved", "already_approved", "approved"]);
    expect(results.map((r) => r.posted).sort()).toEqual([0, 0, 2]);
    expect(await ledgerCount("payout", runId)).toBe(2);
    expect(await available(shop.shopId, shop.ids.STR1)).toEqual({ USD: 0n });
    expect(await available(shop.shopId, shop.ids.STR2)).toEqual({ USD: 0n });
    expect(await accountSums(shop.shopId, "payouts_clearing")).toEqual({ USD: -8_000n });
    const section = await reconcilePayouts(db(), shop.shopId);
    expect(section.balanced).toBe(true);
    expect(section.currencies).toEqual([
      {
        currency: "USD",
        paidItems: 0,
        paidMinor: 0n,
        settledMinor: 0n,
        paidDeltaMinor: 0n,
        inFlightItems: 2,
        inFlightMinor: 8_000n,
        clearingMinor: 8_000n,
        inFlightDeltaMinor: 0n,
      },
    ]);
    expect((await executePayoutRun(db(), shop.shopId, runId, providers)).status).toBe("completed");
    expect(await accountSums(shop.shopId, "payouts_clearing")).toEqual({ USD: 0n });
  });

  it("a refund clawback landing while the run executes: paid once, the clawback is a carried debt, balances exact", async () => {
    await deliverOrder(app.server.url, shop.shopId, "7003", "PAY1", "BIG");
    await releaseAll(shop.shopId);
    const { runId } = await createPayoutRun(db(), shop.shopId, { actor: "test" });
    await approvePayoutRun(db(), shop.shopId, runId, "test");
    const [item] = await db().payoutItem.findMany({ where: { runId } });
    expect(item).toMatchObject({ distributorId: shop.ids.PAY1, amountMinor: 5_000n });

    // Stripe has made the transfer but its answer is still on the way when the refund lands.
    let transferMade!: () => void;
    let answer!: () => void;
    const made = new Promise<void>((resolve) => (transferMade = resolve));
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const slow: Providers = {
      stripe: {
        ...providers.stripe!,
        pay: async (run, items) => {
          const outcomes = await providers.stripe!.pay(run, items);
          transferMade();
          await answered;
          return outcomes;
        },
      },
    };
    const executing = executePayoutRun(db(), shop.shopId, runId, slow);
    await made;
    expect(await db().payoutItem.findFirstOrThrow({ where: { id: item!.id }, select: { status: true } })).toEqual({ status: "submitted" });
    await deliver(app.server.url, refundBody("7003", "97003", [LINE_A, LINE_B]), "refunds/create");
    await waitUntil(async () => (await available(shop.shopId, shop.ids.PAY1)).USD === -5_000n, 20_000, "the clawback");
    answer();
    expect((await executing).status).toBe("completed");
    // The run executed again (a retried job) changes nothing.
    await executePayoutRun(db(), shop.shopId, runId, providers);

    expect(stripe.created.get(item!.id)).toBe(1);
    expect(await ledgerCount("payout", runId)).toBe(1);
    expect(await ledgerCount("payout_settlement", runId)).toBe(1);
    expect(await ledgerCount("payout_reversal", runId)).toBe(0);
    expect(await available(shop.shopId, shop.ids.PAY1)).toEqual({ USD: -5_000n });
    expect(await accountSums(shop.shopId, "payouts_clearing")).toEqual({ USD: 0n });
    expect(await accountSums(shop.shopId, "payouts_cash")).toEqual({ USD: -13_000n });

    // The debt is carried: the next run pays PAY1 nothing and holds it back.
    const next = await createPayoutRun(db(), shop.shopId, { actor: "test" });
    const nextRun = await db().payoutRun.findFirstOrThrow({ where: { id: next.runId } });
    expect(nextRun.itemCount).toBe(0);
    expect(nextRun.heldBack).toEqual([{ distributorId: shop.ids.PAY1, currency: "USD", balanceMinor: "-5000", reason: "negative_balance" }]);
    await db().payoutRun.update({ where: { id: next.runId }, data: { status: "cancelled" } });
  }, 60_000);

  it("a clawback between the draft and its approval: the undercut item is cancelled, nothing leaves the wallet", async () => {
    await deliverOrder(app.server.url, shop.shopId, "7004", "STR1", "BIG");
    await releaseAll(shop.shopId);
    const { runId } = await createPayoutRun(db(), shop.shopId, { actor: "test" });
    await deliver(app.server.url, refundBody("7004", "97004", [LINE_A, LINE_B]), "refunds/create");
    await waitUntil(async () => (await available(shop.shopId, shop.ids.STR1)).USD === 0n, 20_000, "the clawback");
    expect(await approvePayoutRun(db(), shop.shopId, runId, "test")).toEqual({ outcome: "approved", posted: 0, cancelled: 1 });
    expect(await db().payoutItem.findMany({ where: { runId }, select: { status: true } })).toEqual([{ status: "cancelled" }]);
    expect(await available(shop.shopId, shop.ids.STR1)).toEqual({ USD: 0n });
    expect((await reconcilePayouts(db(), shop.shopId)).balanced).toBe(true);
  }, 60_000);
});

describe("the payouts section of the reconciliation report", () => {
  it("paid items equal what settled out of clearing, delta 0; an item marked paid without its settlement is a delta and is listed", async () => {
    const report = await reconcileShopDay(db(), shop.shopId, "2022-01-01");
    expect(report.payouts.balanced).toBe(true);
    expect(report.payouts.currencies).toEqual([
      {
        currency: "USD",
        paidItems: 3,
        paidMinor: 13_000n,
        settledMinor: 13_000n,
        paidDeltaMinor: 0n,
        inFlightItems: 0,
        inFlightMinor: 0n,
        clearingMinor: 0n,
        inFlightDeltaMinor: 0n,
      },
    ]);

    // A paid item the ledger never settled (a write that bypassed the item ledger): the section says so.
    await deliverOrder(app.server.url, shop.shopId, "7005", "STR2", "SMALL");
    await releaseAll(shop.shopId);
    const { runId } = await createPayoutRun(db(), shop.shopId, { actor: "test" });
    await approvePayoutRun(db(), shop.shopId, runId, "test");
    const [item] = await db().payoutItem.findMany({ where: { runId } });
    await db().payoutItem.update({ where: { id: item!.id }, data: { status: "paid" } });
    const broken = await reconcileShopDay(db(), shop.shopId, "2022-01-01");
    expect(broken.balanced).toBe(false);
    expect(broken.payouts.currencies[0]).toMatchObject({
      paidMinor: 16_000n,
      settledMinor: 13_000n,
      paidDeltaMinor: -3_000n,
      inFlightMinor: 0n,
      clearingMinor: 3_000n,
      inFlightDeltaMinor: 3_000n,
    });
    expect(broken.payouts.mismatches).toEqual([{ itemId: item!.id, runId, status: "paid", approved: true, settled: false, reversed: false }]);
    expect(broken.payouts.mismatchedItems).toBe(1);
  }, 60_000);
});
