/**
 * Retry of a failed payout item (the Payouts page's "Retry"): a new run of one item, approved on the click,
 * once however often or concurrently it is asked; refused for an item that did not fail or whose money is no
 * longer in the wallet. The failure here is the bank's: a bank item marked failed through the REST API.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { retryFailedItem } from "~/services/payouts/item-retry.server";
import { PayoutServiceError } from "~/services/payouts/errors.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { accountSums, api, available, deliverOrder, releaseAll, seedPayoutShop, type PayoutShop } from "./support";

const app = runAppAndWorkers();
let shop: PayoutShop;
let call: ReturnType<typeof api>;
let failedItemId: string;
let paidItemId: string;

beforeAll(async () => {
  shop = await seedPayoutShop();
  call = api(app.server.url, shop.token);
  for (const code of ["NET01", "MULTI"] as const) {
    expect(
      (
        await call("POST", `/api/v1/distributors/${shop.ids[code]}/payout-method`, {
          method: "bank",
          details: { account_holder: code, iban: "DE89370400440532013000" },
        })
      ).status,
    ).toBe(200);
  }
  await deliverOrder(app.server.url, shop.shopId, "9401", "NET01", "BIG"); // 50.00
  await deliverOrder(app.server.url, shop.shopId, "9402", "MULTI", "SMALL"); // 30.00
  await releaseAll(shop.shopId);
  const created = await call("POST", "/api/v1/payout-runs", {});
  const runId = (created.body as unknown as { payout_run: { id: string } }).payout_run.id;
  expect((await call("POST", `/api/v1/payout-runs/${runId}/approve`, {})).status).toBe(200);
  const items = await db().payoutItem.findMany({ where: { runId } });
  failedItemId = items.find((i) => i.distributorId === shop.ids.NET01)!.id;
  paidItemId = items.find((i) => i.distributorId === shop.ids.MULTI)!.id;
  expect((await call("POST", `/api/v1/payout-items/${failedItemId}/mark-paid`, { outcome: "failed", error: "account closed" })).status).toBe(200);
  expect((await call("POST", `/api/v1/payout-items/${paidItemId}/mark-paid`, { outcome: "paid" })).status).toBe(200);
}, 180_000);

describe("retry of a failed payout item", () => {
  it("refuses an item that did not fail", async () => {
    await expect(retryFailedItem(db(), shop.shopId, paidItemId, "test")).rejects.toThrow(PayoutServiceError);
    expect(await db().payoutRun.count({ where: { shopId: shop.shopId } })).toBe(1);
  });

  it("three retries at once make one approved one-item run; the wallet moves to clearing once", async () => {
    expect(await available(shop.shopId, shop.ids.NET01)).toEqual({ USD: 5_000n });
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => retryFailedItem(db(), shop.shopId, failedItemId, "admin:test")));
    const runIds = new Set(outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value.runId] : [])));
    expect(runIds.size).toBe(1);
    expect(outcomes.filter((o) => o.status === "fulfilled" && o.value.created)).toHaveLength(1);
    const [runId] = [...runIds];
    const run = await db().payoutRun.findUniqueOrThrow({ where: { id: runId }, include: { items: true } });
    expect(run).toMatchObject({ status: "approved", itemCount: 1, scheduleKey: `retry:${failedItemId}` });
    expect(run.items.map((i) => [i.distributorId, i.method, i.amountMinor, i.status])).toEqual([[shop.ids.NET01, "bank", 5_000n, "pending"]]);
    expect(await available(shop.shopId, shop.ids.NET01)).toEqual({ USD: 0n });
    expect(await accountSums(shop.shopId, "payouts_clearing")).toEqual({ USD: -5_000n });
    // Asked again later: the same run, nothing new.
    expect(await retryFailedItem(db(), shop.shopId, failedItemId, "admin:test")).toEqual({ runId, created: false });
    expect(await db().payoutRun.count({ where: { shopId: shop.shopId } })).toBe(2);
  });
});
