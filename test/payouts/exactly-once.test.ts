/**
 * Exactly once, against local fakes that answer like PayPal and Stripe: the same run executed twice, a worker
 * killed between the provider call and the ledger write (simulated by the executor's seam that throws right
 * there, before anything of the answer is recorded), the provider timing out after it accepted, and a 5xx
 * then success. Each item is paid once at the fake and once in the ledger. A PayPal item that comes back
 * RETURNED is reversed to the available wallet exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { executePayoutRun } from "~/services/payouts/execute.server";
import { payPalProvider } from "~/services/payouts/providers/paypal.server";
import { creditClaimed } from "~/services/payouts/providers/index.server";
import { storeCreditProvider } from "~/services/payouts/providers/store-credit.server";
import { stripeProvider } from "~/services/payouts/providers/stripe.server";
import { ProviderUnavailableError, type Providers } from "~/services/payouts/providers/types";
import { approvePayoutRun, createPayoutRun } from "~/services/payouts/runs.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { startFakePayPal, type FakePayPal } from "../support/fakes/paypal";
import { startFakeStoreCredit, type FakeStoreCredit } from "../support/fakes/shopify-store-credit";
import { startFakeStripe, type FakeStripe } from "../support/fakes/stripe";
import { accountSums, api, available, deliverOrder, releaseAll, seedPayoutShop, type Code, type PayoutShop } from "./support";

const app = runAppAndWorkers();
let shop: PayoutShop;
let paypal: FakePayPal;
let stripe: FakeStripe;
let storeCredit: FakeStoreCredit;
let providers: Providers;
let order = 6000;

beforeAll(async () => {
  paypal = await startFakePayPal();
  stripe = await startFakeStripe("sk_test_fake");
  storeCredit = await startFakeStoreCredit("shpat_fake");
  storeCredit.delayMs = 1_500;
  providers = {
    store_credit: storeCreditProvider({ baseUrl: storeCredit.url, accessToken: async () => "shpat_fake", isClaimed: creditClaimed, timeoutMs: 500 }),
    paypal: payPalProvider({ baseUrl: paypal.url, clientId: "client", clientSecret: "secret", timeoutMs: 500 }),
    stripe: stripeProvider({ baseUrl: stripe.url, secretKey: "sk_test_fake", timeoutMs: 500 }),
  };
  paypal.delayMs = 1_500;
  stripe.delayMs = 1_500;
  shop = await seedPayoutShop();
  const call = api(app.server.url, shop.token);
  const methods: [Code, unknown][] = [
    ["PAY1", { method: "paypal", details: { email: "pay1@example.com" } }],
    ["PAY2", { method: "paypal", details: { email: "returned-pay2@example.com" } }],
    ["STR1", { method: "stripe", details: { account_id: "acct_1STR1" } }],
    ["STR2", { method: "stripe", details: { account_id: "acct_1STR2" } }],
    ["PAY3", { method: "store_credit", details: { customer_id: "gid://shopify/Customer/7001" } }],
  ];
  for (const [code, body] of methods) expect((await call("POST", `/api/v1/distributors/${shop.ids[code]}/payout-method`, body)).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await paypal?.close();
  await stripe?.close();
  await storeCredit?.close();
});

/** Every listed payee earns 50.00 (a BIG order each), released; then a run is created and approved. */
async function approvedRun(codes: readonly Code[]): Promise<string> {
  for (const code of codes) await deliverOrder(app.server.url, shop.shopId, String(order++), code, "BIG");
  await releaseAll(shop.shopId);
  const { runId } = await createPayoutRun(db(), shop.shopId, { actor: "test" });
  await approvePayoutRun(db(), shop.shopId, runId, "test");
  return runId;
}

async function executeUntilDone(runId: string, rounds = 6) {
  for (let i = 0; i < rounds; i++) {
    try {
      const result = await executePayoutRun(db(), shop.shopId, runId, providers);
      if (result.status === "completed") return result;
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) throw error;
    }
  }
  return executePayoutRun(db(), shop.shopId, runId, providers);
}

const ledgerCount = (kind: "payout" | "payout_settlement" | "payout_reversal", runId: string) =>
  db().ledgerTransaction.count({ where: { shopId: shop.shopId, kind, metadata: { path: ["rule"], equals: `payout:${runId}` } } });

async function itemIds(runId: string, method: "paypal" | "stripe" | "store_credit" = "paypal") {
  return (await db().payoutItem.findMany({ where: { runId, method }, orderBy: { id: "asc" }, select: { id: true } })).map((i) => i.id);
}

describe("PayPal", () => {
  it("a worker killed between the provider call and the ledger write re-asks PayPal (duplicate sender_batch_id → the original) instead of paying again; a RETURNED item is reversed to the available wallet", async () => {
    const runId = await approvedRun(["PAY1", "PAY2"]);
    const [first, second] = await itemIds(runId);
    await expect(
      executePayoutRun(db(), shop.shopId, runId, providers, {
        afterProviderCall: () => {
          throw new Error("SIGKILL");
        },
      }),
    ).rejects.toThrow("SIGKILL");
    expect(paypal.batches.get(runId)?.items).toHaveLength(2);
    expect(await db().payoutItem.count({ where: { runId, status: "submitted", providerBatchRef: null } })).toBe(2);

    const result = await executeUntilDone(runId);
    expect(result.status).toBe("completed");
    expect([paypal.created.get(first!), paypal.created.get(second!)]).toEqual([1, 1]);
    const items = await db().payoutItem.findMany({ where: { runId }, select: { distributorId: true, status: true } });
    expect(items.find((i) => i.distributorId === shop.ids.PAY1)?.status).toBe("paid");
    expect(items.find((i) => i.distributorId === shop.ids.PAY2)?.status).toBe("returned");
    expect(await ledgerCount("payout", runId)).toBe(2);
    expect(await ledgerCount("payout_settlement", runId)).toBe(1);
    expect(await ledgerCount("payout_reversal", runId)).toBe(1);
    expect(await available(shop.shopId, shop.ids.PAY1)).toEqual({ USD: 0n });
    expect(await available(shop.shopId, shop.ids.PAY2)).toEqual({ USD: 5_000n });

    // The same run executed again: nothing is sent, nothing is posted.
    await executePayoutRun(db(), shop.shopId, runId, providers);
    expect(paypal.batches.size).toBe(1);
    expect(await ledgerCount("payout_settlement", runId)).toBe(1);
    expect(await ledgerCount("payout_reversal", runId)).toBe(1);
  });

  it("PayPal timing out after it accepted, and a 5xx before success: each item paid once", async () => {
    paypal.faults.push("accept-then-timeout");
    const timedOut = await approvedRun(["PAY1"]);
    await expect(executePayoutRun(db(), shop.shopId, timedOut, providers)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect((await executeUntilDone(timedOut)).status).toBe("completed");
    expect(paypal.created.get((await itemIds(timedOut))[0]!)).toBe(1);
    expect(await ledgerCount("payout_settlement", timedOut)).toBe(1);

    paypal.faults.push("5xx");
    const failedOnce = await approvedRun(["PAY1"]);
    await expect(executePayoutRun(db(), shop.shopId, failedOnce, providers)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(paypal.batches.has(failedOnce)).toBe(false);
    expect((await executeUntilDone(failedOnce)).status).toBe("completed");
    expect(paypal.created.get((await itemIds(failedOnce))[0]!)).toBe(1);
    expect(await ledgerCount("payout_settlement", failedOnce)).toBe(1);
    expect(await available(shop.shopId, shop.ids.PAY1)).toEqual({ USD: 0n });
    expect(await accountSums(shop.shopId, "payouts_clearing")).toEqual({ USD: 0n });
  });
});

describe("Stripe", () => {
  it("a kill after the transfer, a timeout after acceptance and a 5xx: each transfer made once, settled once", async () => {
    const runId = await approvedRun(["STR1", "STR2"]);
    const ids = await itemIds(runId, "stripe");
    await expect(executePayoutRun(db(), shop.shopId, runId, providers, { afterProviderCall: () => Promise.reject(new Error("SIGKILL")) })).rejects.toThrow(
      "SIGKILL",
    );
    expect((await executeUntilDone(runId)).status).toBe("completed");
    expect(ids.map((id) => stripe.created.get(id))).toEqual([1, 1]);
    expect(await ledgerCount("payout_settlement", runId)).toBe(2);

    stripe.faults.push("accept-then-timeout", "5xx");
    const second = await approvedRun(["STR1", "STR2"]);
    await expect(executePayoutRun(db(), shop.shopId, second, providers)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect((await executeUntilDone(second)).status).toBe("completed");
    expect((await itemIds(second, "stripe")).map((id) => stripe.created.get(id))).toEqual([1, 1]);
    expect(await ledgerCount("payout_settlement", second)).toBe(2);
    expect(await available(shop.shopId, shop.ids.STR1)).toEqual({ USD: 0n });
    expect(await accountSums(shop.shopId, "payouts_clearing")).toEqual({ USD: 0n });
    expect(await accountSums(shop.shopId, "payouts_cash")).toEqual({ USD: -(4n * 5_000n + 3n * 5_000n) });
  });
});

describe("Shopify store credit", () => {
  it("no double credit after an unknown outcome: the retry finds the credit that landed; a 5xx then success credits once", async () => {
    storeCredit.faults.push("accept-then-timeout");
    const runId = await approvedRun(["PAY3"]);
    await expect(executePayoutRun(db(), shop.shopId, runId, providers)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(storeCredit.credits.get("gid://shopify/Customer/7001")).toHaveLength(1);
    expect((await executeUntilDone(runId)).status).toBe("completed");
    expect(storeCredit.credits.get("gid://shopify/Customer/7001")).toHaveLength(1);
    const [item] = await db().payoutItem.findMany({ where: { runId, method: "store_credit" } });
    expect(item).toMatchObject({ status: "paid", providerReference: storeCredit.credits.get("gid://shopify/Customer/7001")![0]!.id, attemptCount: 2 });

    storeCredit.faults.push("5xx");
    const second = await approvedRun(["PAY3"]);
    await expect(executePayoutRun(db(), shop.shopId, second, providers)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect((await executeUntilDone(second)).status).toBe("completed");
    expect(storeCredit.credits.get("gid://shopify/Customer/7001")).toHaveLength(2);
    expect(await available(shop.shopId, shop.ids.PAY3)).toEqual({ USD: 0n });
  });
});
