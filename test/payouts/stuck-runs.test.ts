/**
 * Stuck payout runs (issue 12): a payouts worker process SIGKILLed between the provider call and the ledger write
 * leaves its items `submitted` with an unknown outcome and no job to finish them; an approved run whose enqueue
 * was lost never starts. The sweep finds both and queues them again; the worker resumes through the provider's
 * idempotency (Stripe's Idempotency-Key), so each transfer is made once and posted once. A bank item waiting for
 * the bank's file is not stuck and is left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { approvePayoutRun, createPayoutRun } from "~/services/payouts/runs.server";
import { stuckPayoutRuns } from "~/services/payouts/sweep.server";
import { runPayoutSweep } from "../../workers/payout-maintenance";
import { runAppAndWorkers } from "../support/app-and-workers";
import { waitUntil } from "../support/deliveries";
import { startFakeStripe, type FakeStripe } from "../support/fakes/stripe";
import { spawnScript } from "../support/processes";
import { accountSums, api, available, deliverOrder, releaseAll, seedPayoutShop, type PayoutShop } from "./support";

const app = runAppAndWorkers();
let shop: PayoutShop;
let stripe: FakeStripe;

beforeAll(async () => {
  stripe = await startFakeStripe("sk_test_fake");
  stripe.delayMs = 0;
  // The in-process worker reads its providers from the environment when a job runs.
  Object.assign(process.env, { STRIPE_BASE_URL: stripe.url, STRIPE_SECRET_KEY: "sk_test_fake", PAYOUT_PROVIDER_TIMEOUT_MS: "5000" });
  shop = await seedPayoutShop();
  const call = api(app.server.url, shop.token);
  expect((await call("POST", `/api/v1/distributors/${shop.ids.STR1}/payout-method`, { method: "stripe", details: { account_id: "acct_1STR1" } })).status).toBe(
    200,
  );
  expect((await call("POST", `/api/v1/distributors/${shop.ids.STR2}/payout-method`, { method: "stripe", details: { account_id: "acct_1STR2" } })).status).toBe(
    200,
  );
  expect(
    (await call("POST", `/api/v1/distributors/${shop.ids.PAY1}/payout-method`, { method: "bank", details: { account_holder: "P", iban: "DE00PAY1" } })).status,
  ).toBe(200);
}, 120_000);

afterAll(async () => {
  await stripe?.close();
});

const later = () => new Date(Date.now() + 1_000);
const ledgerCount = (kind: "payout" | "payout_settlement", runId: string) =>
  db().ledgerTransaction.count({ where: { shopId: shop.shopId, kind, metadata: { path: ["rule"], equals: `payout:${runId}` } } });

describe("the stuck-run sweep", () => {
  it("resumes a run whose worker was SIGKILLed after Stripe made the transfers: each transfer once, settled once", async () => {
    await deliverOrder(app.server.url, shop.shopId, "9001", "STR1", "BIG");
    await deliverOrder(app.server.url, shop.shopId, "9002", "STR2", "SMALL");
    await releaseAll(shop.shopId);
    const { runId } = await createPayoutRun(db(), shop.shopId, { actor: "test" });
    expect((await approvePayoutRun(db(), shop.shopId, runId, "test")).posted).toBe(2);
    const itemIds = (await db().payoutItem.findMany({ where: { runId }, orderBy: { id: "asc" }, select: { id: true } })).map((i) => i.id);

    const worker = spawnScript("test/payouts/execute-then-hang.ts", { STRIPE_BASE_URL: stripe.url, STRIPE_SECRET_KEY: "sk_test_fake" }, [shop.shopId, runId]);
    await worker.waitFor(/PROVIDER_ANSWERED stripe/, 60_000);
    worker.child.kill("SIGKILL");
    expect((await worker.exit()).signal).toBe("SIGKILL");

    // Paid at Stripe, unknown to us: items submitted, nothing settled, the money still in clearing.
    expect(itemIds.map((id) => stripe.created.get(id))).toEqual([1, 1]);
    expect(await db().payoutItem.count({ where: { runId, status: "submitted" } })).toBe(2);
    expect(await ledgerCount("payout_settlement", runId)).toBe(0);
    expect(await accountSums(shop.shopId, "payouts_clearing")).toEqual({ USD: -8_000n });

    // Not stale yet: an executor that is merely slow is never doubled.
    expect(await stuckPayoutRuns(db(), new Date(), 60_000)).toEqual([]);
    const swept = await runPayoutSweep(db(), later(), 0);
    expect(swept.resumed).toBe(1);
    await waitUntil(
      async () => (await db().payoutRun.findFirst({ where: { id: runId, status: "completed" } })) !== null,
      60_000,
      "the resumed run to complete",
    );

    expect(itemIds.map((id) => stripe.created.get(id))).toEqual([1, 1]);
    expect(await db().payoutItem.count({ where: { runId, status: "paid" } })).toBe(2);
    expect(await ledgerCount("payout", runId)).toBe(2);
    expect(await ledgerCount("payout_settlement", runId)).toBe(2);
    expect(await available(shop.shopId, shop.ids.STR1)).toEqual({ USD: 0n });
    expect(await available(shop.shopId, shop.ids.STR2)).toEqual({ USD: 0n });
    expect(await accountSums(shop.shopId, "payouts_clearing")).toEqual({ USD: 0n });
    expect(await accountSums(shop.shopId, "payouts_cash")).toEqual({ USD: -8_000n });
    // Done: the next sweep finds nothing.
    expect((await runPayoutSweep(db(), later(), 0)).resumed).toBe(0);
  }, 180_000);

  it("starts an approved run whose enqueue was lost; its bank item then waits for the bank's file and is not swept again", async () => {
    await deliverOrder(app.server.url, shop.shopId, "9003", "PAY1", "BIG");
    await releaseAll(shop.shopId);
    const { runId } = await createPayoutRun(db(), shop.shopId, { actor: "test" });
    await approvePayoutRun(db(), shop.shopId, runId, "test");
    expect((await runPayoutSweep(db(), later(), 0)).resumed).toBe(1);
    await waitUntil(async () => (await db().payoutItem.findFirst({ where: { runId, status: "submitted" } })) !== null, 60_000, "the bank item to be submitted");
    expect(await db().payoutRun.findFirstOrThrow({ where: { id: runId }, select: { status: true } })).toEqual({ status: "executing" });
    expect((await runPayoutSweep(db(), new Date(Date.now() + 60_000), 0)).resumed).toBe(0);
    expect(await available(shop.shopId, shop.ids.PAY1)).toEqual({ USD: 0n });
  }, 120_000);
});
