/**
 * Scheduled payout runs (issue 12): the repeatable job creates one draft per slot of the shop's schedule, however
 * often it ticks, and approves it (ledger postings, one execute job) when the shop chose auto-approve. Balances
 * are built through signed orders and the hold release, the settings through the REST API.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { MAINTENANCE_JOBS } from "~/queues.server";
import { createScheduledRuns } from "~/services/payouts/scheduled.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { accountSums, api, available, deliverOrder, releaseAll, seedPayoutShop, type PayoutShop } from "./support";

const app = runAppAndWorkers();
let shop: PayoutShop;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  shop = await seedPayoutShop();
  call = api(app.server.url, shop.token);
  for (const code of ["NET01", "PAY1"] as const) {
    expect(
      (await call("POST", `/api/v1/distributors/${shop.ids[code]}/payout-method`, { method: "bank", details: { account_holder: code, iban: `DE00${code}` } }))
        .status,
    ).toBe(200);
  }
  await deliverOrder(app.server.url, shop.shopId, "8001", "NET01", "BIG");
  await deliverOrder(app.server.url, shop.shopId, "8002", "PAY1", "SMALL");
  await releaseAll(shop.shopId);
}, 120_000);

const runsOf = () =>
  db().payoutRun.findMany({
    where: { shopId: shop.shopId },
    orderBy: { createdAt: "asc" },
    include: { items: { select: { distributorId: true, amountMinor: true, status: true } } },
  });

describe("scheduled payout runs", () => {
  it("the worker declares the schedule and sweep jobs with the other repeatable jobs", async () => {
    const { createQueues } = await import("~/queues.server");
    const { createRedis } = await import("~/redis.server");
    const { coreConfig } = await import("~/config.server");
    const redis = createRedis(coreConfig().REDIS_URL, "client");
    const queues = createQueues(redis, coreConfig().REDIS_PREFIX);
    const keys = (await queues.maintenance.getJobSchedulers()).map((s) => s.key);
    await queues.close();
    redis.disconnect();
    expect(keys).toEqual(expect.arrayContaining([MAINTENANCE_JOBS.schedulePayouts, MAINTENANCE_JOBS.sweepPayouts]));
  });

  it("manual: the schedule creates nothing", async () => {
    expect(await createScheduledRuns(db(), { now: new Date("2027-03-03T10:00:00Z"), shopId: shop.shopId })).toEqual({ created: 0, approved: 0, failed: 0 });
    expect(await runsOf()).toEqual([]);
  });

  it("weekly: one draft per ISO week however often the job ticks, with the available balances; nothing moves until approved", async () => {
    expect((await call("POST", "/api/v1/payout-settings", { schedule: "weekly" })).status).toBe(200);
    const enqueued: string[] = [];
    const enqueue = async (_shopId: string, runId: string) => void enqueued.push(runId);
    const tick = (at: string) => createScheduledRuns(db(), { now: new Date(at), shopId: shop.shopId, enqueue });
    expect(await tick("2027-03-01T00:05:00Z")).toEqual({ created: 1, approved: 0, failed: 0 });
    const [first, again] = await Promise.all([tick("2027-03-03T12:00:00Z"), tick("2027-03-07T23:59:00Z")]);
    expect([first.created, again.created]).toEqual([0, 0]);
    const runs = await runsOf();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: "draft",
      schedule: "weekly",
      scheduleKey: "weekly:2027-W09",
      createdBy: "schedule",
      itemCount: 2,
      totals: { USD: { items: 2, amountMinor: "8000" } },
    });
    expect(runs[0]!.items.map((i) => [i.distributorId, i.amountMinor]).sort()).toEqual(
      [
        [shop.ids.NET01, 5_000n],
        [shop.ids.PAY1, 3_000n],
      ].sort(),
    );
    expect(enqueued).toEqual([]);
    expect(await available(shop.shopId, shop.ids.NET01)).toEqual({ USD: 5_000n });
    // The merchant cancels the week's run: the slot keeps its cancelled run, the job creates no other.
    expect((await call("POST", `/api/v1/payout-runs/${runs[0]!.id}/cancel`, {})).status).toBe(200);
    expect((await tick("2027-03-05T00:00:00Z")).created).toBe(0);
    expect((await runsOf()).map((r) => r.status)).toEqual(["cancelled"]);
  });

  it("monthly with auto-approve: the month's run is approved (ledger moved, one execute job), once", async () => {
    expect((await call("POST", "/api/v1/payout-settings", { schedule: "monthly", auto_approve: true })).status).toBe(200);
    const enqueued: string[] = [];
    const enqueue = async (_shopId: string, runId: string) => void enqueued.push(runId);
    const results = await Promise.all(
      ["2027-04-01T00:10:00Z", "2027-04-01T00:10:00Z", "2027-04-20T08:00:00Z"].map((at) =>
        createScheduledRuns(db(), { now: new Date(at), shopId: shop.shopId, enqueue }),
      ),
    );
    expect(results.reduce((sum, r) => sum + r.created, 0)).toBe(1);
    expect(results.reduce((sum, r) => sum + r.approved, 0)).toBe(1);
    const run = (await runsOf()).find((r) => r.scheduleKey === "monthly:2027-04")!;
    expect(run).toMatchObject({ status: "approved", approvedBy: "schedule", schedule: "monthly" });
    expect(enqueued).toEqual([run.id]);
    expect(await available(shop.shopId, shop.ids.NET01)).toEqual({ USD: 0n });
    expect(await available(shop.shopId, shop.ids.PAY1)).toEqual({ USD: 0n });
    expect(await accountSums(shop.shopId, "payouts_clearing")).toEqual({ USD: -8_000n });
    const ledger = await db().ledgerTransaction.count({
      where: { shopId: shop.shopId, kind: "payout", metadata: { path: ["rule"], equals: `payout:${run.id}` } },
    });
    expect(ledger).toBe(2);
  });

  it("a draft left unapproved (a crash between creating and approving) is approved at the next tick", async () => {
    const { createPayoutRun } = await import("~/services/payouts/runs.server");
    await deliverOrder(app.server.url, shop.shopId, "8003", "NET01", "SMALL");
    await releaseAll(shop.shopId);
    const { runId } = await createPayoutRun(db(), shop.shopId, { actor: "schedule", schedule: "monthly", scheduleKey: "monthly:2027-05" });
    const enqueued: string[] = [];
    const result = await createScheduledRuns(db(), {
      now: new Date("2027-05-02T00:00:00Z"),
      shopId: shop.shopId,
      enqueue: async (_s, id) => void enqueued.push(id),
    });
    expect(result).toEqual({ created: 0, approved: 1, failed: 0 });
    expect(enqueued).toEqual([runId]);
    expect(await available(shop.shopId, shop.ids.NET01)).toEqual({ USD: 0n });
  });
});
