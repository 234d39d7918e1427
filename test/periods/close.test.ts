/**
 * Issue 6, period close end to end on real PostgreSQL: signed Shopify orders through the ingest route and the
 * worker, then the close of March 2026 → exact binary, rank, matching and rank-advancement amounts in the
 * ledger; concurrent and repeated closes post nothing new; a refund recorded inside the period lowers the
 * period's volume by exactly the refunded volume; re-open + close posts only the corrections.
 *
 * The worked example (plan: test/periods/plan.ts; tree: test/periods/support.ts). Each order is Shopify's sample,
 * 2 lines × 199.00 in the default class "general" (PV = 100 % of net): 398 points to the referrer, and 10 %
 * unilevel level 1 = 39.80. March: CHARLIE refers 1 order, DELTA 2, BRAVO 1.
 *   personal volume   CHARLIE 398, DELTA 796, BRAVO 398 (points)
 *   binary (pair 100 points = 10.00, cap 25.00 per period, carry)
 *     ALPHA  left CHARLIE 398 / right DELTA 796 → 3 pairs = 30.00, capped to 25.00; carry 98 / 496
 *     ROOT   left ALPHA's leg 1,194 / right BRAVO 398 → 3 pairs = 30.00, capped to 25.00; carry 894 / 98
 *   ranks (sponsor tree)  ALPHA GV 1,194, ROOT GV 1,592: both bronze (≥ 1,000, 1 active leg); silver needs
 *     1,500 with at most 50 % (750) from one leg: ROOT counts 750 + 398 = 1,148, not silver
 *   rank advancement  bronze 25.00 to ALPHA and to ROOT
 *   matching 10 % of generation 1's unilevel + binary earnings (sponsor tree)
 *     ALPHA  10 % × (39.80 CHARLIE + 79.60 DELTA) = 3.98 + 7.96 = 11.94
 *     ROOT   10 % × (25.00 ALPHA's binary + 39.80 BRAVO) = 2.50 + 3.98 = 6.48
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { periodInputFromSnapshot, closePeriod as replayClose, type PeriodCloseResult } from "~/domain/periods";
import { ensurePeriods } from "~/services/periods/calendar.server";
import { closeCommissionPeriod } from "~/services/periods/close-period.server";
import { closeDuePeriods } from "~/services/periods/close-due.server";
import { reopenCommissionPeriod } from "~/services/periods/reopen-period.server";
import { releaseDuePeriods } from "~/services/periods/release-period.server";
import { updateCommissionSettings } from "~/services/commissions/setup.server";
import { LINE_A, orderBody, orderRow } from "../commissions/support";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { datedRefundBody, firstPeriodJobDone, periodTransactions, rowCounts, seedPeriodShop, type PeriodShop } from "./support";

const app = runAppAndWorkers();
let shop: PeriodShop;
let marchId: string;

const MARCH_ORDERS: readonly [string, string, string][] = [
  ["9101", "CHARLIE", "2026-03-05T10:00:00Z"],
  ["9102", "DELTA", "2026-03-10T10:00:00Z"],
  ["9103", "DELTA", "2026-03-15T10:00:00Z"],
  ["9104", "BRAVO", "2026-03-20T10:00:00Z"],
];

const deliver = async (body: string, topic: string) =>
  expect((await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId: randomUUID() }))).status).toBe(200);

beforeAll(async () => {
  await firstPeriodJobDone();
  shop = await seedPeriodShop();
  for (const [orderId, ref, createdAt] of MARCH_ORDERS) await deliver(orderBody(orderId, { ref, createdAt }), "orders/paid");
  for (const [orderId] of MARCH_ORDERS) {
    const order = await waitUntil(() => orderRow(shop.shopId, orderId), 20_000, `order ${orderId}`);
    await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, `commission of ${orderId}`);
  }
});

const key = (rule: string, code: keyof PeriodShop["ids"], revision?: number) =>
  revision === undefined ? `period:2026-03:${rule}:${shop.ids[code]}` : `period-correction:2026-03:${revision}:${rule}:${shop.ids[code]}`;

async function volumes(table: "PeriodVolume" | "BinaryLegVolume") {
  const rows =
    table === "PeriodVolume"
      ? await db().periodVolume.findMany({ where: { shopId: shop.shopId, periodStart: new Date("2026-03-01") } })
      : await db().binaryLegVolume.findMany({ where: { shopId: shop.shopId, periodStart: new Date("2026-03-01") } });
  const code = (id: string) => Object.entries(shop.ids).find(([, value]) => value === id)![0];
  return Object.fromEntries(rows.map((row) => [code(row.distributorId), "pvHundredths" in row ? row.pvHundredths : [row.leftHundredths, row.rightHundredths]]));
}

describe("closing March 2026", () => {
  it("places the recruits as the worked example says (breadth-first under the sponsor)", () => {
    expect(shop.placements).toEqual({
      ALPHA: { parentId: shop.ids.ROOT, position: 0 },
      BRAVO: { parentId: shop.ids.ROOT, position: 1 },
      CHARLIE: { parentId: shop.ids.ALPHA, position: 0 },
      DELTA: { parentId: shop.ids.ALPHA, position: 1 },
    });
  });

  it("the repeatable close creates the monthly periods (UTC) and closes the ended ones, oldest first", async () => {
    const result = await closeDuePeriods(db(), { now: new Date("2026-03-01T00:00:00Z"), shopId: shop.shopId });
    expect(result).toEqual({ shops: 1, closed: 2, refused: [] });
    await ensurePeriods(db(), shop.shopId, new Date("2026-03-01T00:00:01Z"));
    const periods = await db().commissionPeriod.findMany({ where: { shopId: shop.shopId }, orderBy: { startsAt: "asc" } });
    expect(periods.map((period) => [period.key, period.startsAt.toISOString(), period.endsAt.toISOString(), period.status])).toEqual([
      ["2026-01", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z", "closed"],
      ["2026-02", "2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z", "closed"],
      ["2026-03", "2026-03-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z", "open"],
    ]);
    marchId = periods[2]!.id;
    // A period still running is refused, not half-closed.
    await expect(closeCommissionPeriod(db(), shop.shopId, marchId, { actor: "test", now: new Date("2026-03-31T23:59:59Z") })).rejects.toMatchObject({
      code: "period_not_ended",
    });
  });

  it("two concurrent closes post the worked example's amounts once, exact to the cent", async () => {
    const before = await rowCounts(shop.shopId);
    const now = new Date("2026-04-01T00:00:00Z");
    const outcomes = await Promise.all([
      closeCommissionPeriod(db(), shop.shopId, marchId, { actor: "test-1", now }),
      closeCommissionPeriod(db(), shop.shopId, marchId, { actor: "test-2", now }),
    ]);
    expect(outcomes.map((outcome) => outcome.action).sort()).toEqual(["already_closed", "closed"]);

    const transactions = await periodTransactions(shop.shopId);
    expect(Object.fromEntries([...transactions.values()].map((t) => [t.key, t.walletMinor]))).toEqual({
      [key("binary", "ALPHA")]: 2_500n,
      [key("binary", "ROOT")]: 2_500n,
      [key("rankup", "ALPHA")]: 2_500n,
      [key("rankup", "ROOT")]: 2_500n,
      [key("matching", "ALPHA")]: 1_194n,
      [key("matching", "ROOT")]: 648n,
    });
    expect([...transactions.values()].every((t) => t.balanced && t.kind === "period_commission")).toBe(true);
    const after = await rowCounts(shop.shopId);
    expect(after).toEqual({ transactions: before.transactions + 6, postings: before.postings + 12, periodCommissions: 6, runs: before.runs + 1 });

    expect(await volumes("PeriodVolume")).toEqual({ CHARLIE: 39_800n, DELTA: 79_600n, BRAVO: 39_800n });
    expect(await volumes("BinaryLegVolume")).toEqual({ ROOT: [119_400n, 39_800n], ALPHA: [39_800n, 79_600n] });
    const ranks = await db().distributorRankPeriod.findMany({ where: { shopId: shop.shopId }, orderBy: { distributorId: "asc" } });
    expect(ranks.map((rank) => [rank.distributorId, rank.periodStart.toISOString().slice(0, 10), rank.achievedRank, rank.paidAsRank]).sort()).toEqual(
      [
        [shop.ids.ALPHA, "2026-03-01", "bronze", "bronze"],
        [shop.ids.ROOT, "2026-03-01", "bronze", "bronze"],
      ].sort(),
    );

    const march = await db().commissionPeriod.findUniqueOrThrow({ where: { id: marchId } });
    expect(march).toMatchObject({ status: "closed", revision: 1, currency: "USD" });
    expect(march.summary).toMatchObject({ orders: 4, distributors: 5, totalMinor: "11842", postedMinor: "11842", breakageMinor: "1000", deferredPayouts: 5 });
    // Unpaired volume carries to April, oldest lot first, tagged with its period.
    const carry = JSON.parse(march.carryOut!) as { binary: { distributorId: string; left: unknown[]; right: unknown[] }[] };
    const carried = Object.fromEntries(
      carry.binary.filter((state) => state.left.length + state.right.length > 0).map((state) => [state.distributorId, [state.left, state.right]]),
    );
    expect(carried).toEqual({
      [shop.ids.ALPHA]: [[{ periodKey: "2026-03", hundredths: "9800" }], [{ periodKey: "2026-03", hundredths: "49600" }]],
      [shop.ids.ROOT]: [[{ periodKey: "2026-03", hundredths: "89400" }], [{ periodKey: "2026-03", hundredths: "9800" }]],
    });
  });

  it("the stored snapshot replays the close to the same lines", async () => {
    const run = await db().periodCloseRun.findFirstOrThrow({ where: { periodId: marchId, action: "close" } });
    const stored = JSON.parse(run.snapshot!) as Pick<PeriodCloseResult, "snapshot"> & { totals: { idempotencyKey: string; amountMinor: string }[] };
    const replayed = replayClose(periodInputFromSnapshot(stored.snapshot));
    expect(replayed.totals.map((total) => [total.idempotencyKey, total.amountMinor.toString()])).toEqual(
      stored.totals.map((total) => [total.idempotencyKey, total.amountMinor]),
    );
  });

  it("closing it again, directly or through the repeatable job, posts nothing", async () => {
    const before = await rowCounts(shop.shopId);
    const again = await closeCommissionPeriod(db(), shop.shopId, marchId, { actor: "test", now: new Date("2026-04-02T00:00:00Z") });
    expect(again).toEqual({ action: "already_closed", periodId: marchId, revision: 1 });
    expect(await closeDuePeriods(db(), { now: new Date("2026-04-01T00:00:00Z"), shopId: shop.shopId })).toEqual({ shops: 1, closed: 0, refused: [] });
    expect(await rowCounts(shop.shopId)).toEqual(before);
  });

  it("re-opened and closed with nothing changed, it posts no correction", async () => {
    await reopenCommissionPeriod(db(), shop.shopId, marchId, { actor: "test", reason: "check" });
    const before = await rowCounts(shop.shopId);
    const outcome = await closeCommissionPeriod(db(), shop.shopId, marchId, { actor: "test", now: new Date("2026-04-02T00:00:00Z") });
    expect(outcome).toMatchObject({ action: "closed", revision: 2, summary: { postedMinor: "0", transactions: 0, totalMinor: "11842" } });
    expect(await rowCounts(shop.shopId)).toEqual({ ...before, runs: before.runs + 1 });
  });

  it("a refund recorded inside March lowers March's volume by exactly the refunded volume; re-open + close posts only the corrections", async () => {
    // One line (199.00 = 199 points) of DELTA's first order, refunded on March 25th.
    await deliver(datedRefundBody("9102", "99102", [LINE_A], "2026-03-25T12:00:00Z"), "refunds/create");
    const order = await orderRow(shop.shopId, "9102");
    await waitUntil(() => db().commissionReversal.findFirst({ where: { shopId: shop.shopId, orderId: order!.id } }), 20_000, "the reversal");
    // The closed period keeps what it closed with until it is re-opened.
    expect((await volumes("PeriodVolume")).DELTA).toBe(79_600n);

    await expect(reopenCommissionPeriod(db(), shop.shopId, marchId, { actor: "test", reason: "  " })).rejects.toMatchObject({ code: "reason_required" });
    await reopenCommissionPeriod(db(), shop.shopId, marchId, { actor: "admin@shop", reason: "late refund of order 9102" });
    await expect(reopenCommissionPeriod(db(), shop.shopId, marchId, { actor: "test", reason: "twice" })).rejects.toMatchObject({ code: "period_not_closed" });
    const before = await periodTransactions(shop.shopId);
    const outcome = await closeCommissionPeriod(db(), shop.shopId, marchId, { actor: "test", now: new Date("2026-04-03T00:00:00Z") });
    expect(outcome).toMatchObject({ action: "closed", revision: 3 });

    expect((await volumes("PeriodVolume")).DELTA).toBe(79_600n - 19_900n);
    // ALPHA's group volume drops to 995 < 1,000: no bronze, so its rank-advancement bonus is taken back, and its
    // match on DELTA falls from 7.96 to 10 % × (79.60 − 19.90) = 5.97. Binary pairs are unchanged (3 and 3).
    const after = await periodTransactions(shop.shopId);
    const corrections = [...after.values()].filter((t) => !before.has(t.key));
    expect(Object.fromEntries(corrections.map((t) => [t.key, t.walletMinor]))).toEqual({
      [key("rankup", "ALPHA", 2)]: -2_500n,
      [key("matching", "ALPHA", 2)]: -199n,
    });
    expect(corrections.every((t) => t.balanced && t.kind === "period_correction")).toBe(true);
    // Everything posted for March now adds up to exactly the new close.
    const posted = await db().periodCommission.groupBy({ by: ["rule", "distributorId"], where: { periodId: marchId }, _sum: { amountMinor: true } });
    const net = Object.fromEntries(posted.map((row) => [`${row.rule}:${row.distributorId}`, row._sum.amountMinor]));
    expect(net[`rankup:${shop.ids.ALPHA}`]).toBe(0n);
    expect(net[`matching:${shop.ids.ALPHA}`]).toBe(995n);
    expect(await db().distributorRankPeriod.findMany({ where: { shopId: shop.shopId, distributorId: shop.ids.ALPHA } })).toEqual([]);

    const runs = await db().periodCloseRun.findMany({ where: { periodId: marchId }, orderBy: { createdAt: "asc" } });
    expect(runs.map((run) => [run.action, run.revision, run.actor, run.reason])).toEqual([
      ["close", 1, expect.stringMatching(/^test-[12]$/), null],
      ["reopen", 1, "test", "check"],
      ["close", 2, "test", null],
      ["reopen", 2, "admin@shop", "late refund of order 9102"],
      ["close", 3, "test", null],
    ]);
  });

  it("a refund recorded in April of a March order takes its volume out of March's carry lots, not April's volume", async () => {
    // Line A of DELTA's second March order (199 points), refunded on April 10th.
    await deliver(datedRefundBody("9103", "99103", [LINE_A], "2026-04-10T12:00:00Z"), "refunds/create");
    const order = await orderRow(shop.shopId, "9103");
    await waitUntil(() => db().commissionReversal.findFirst({ where: { shopId: shop.shopId, orderId: order!.id } }), 20_000, "the reversal");
    const before = await rowCounts(shop.shopId);
    expect(await closeDuePeriods(db(), { now: new Date("2026-05-01T00:00:00Z"), shopId: shop.shopId })).toEqual({ shops: 1, closed: 1, refused: [] });

    const april = await db().commissionPeriod.findFirstOrThrow({ where: { shopId: shop.shopId, key: "2026-04" } });
    expect(april.summary).toMatchObject({ orders: 0, reversals: 1, lines: 0, postedMinor: "0" });
    // After March's re-close ALPHA carried 98 (left) / 297 (right) and ROOT 695 / 98, all from March; the late
    // refund takes 199 out of the March lot of the leg DELTA sits in: ALPHA's right, ROOT's left.
    const carry = JSON.parse(april.carryOut!) as { binary: { distributorId: string; left: unknown[]; right: unknown[] }[] };
    const carried = Object.fromEntries(
      carry.binary.filter((state) => state.left.length + state.right.length > 0).map((state) => [state.distributorId, [state.left, state.right]]),
    );
    expect(carried).toEqual({
      [shop.ids.ALPHA]: [[{ periodKey: "2026-03", hundredths: "9800" }], [{ periodKey: "2026-03", hundredths: "9800" }]],
      [shop.ids.ROOT]: [[{ periodKey: "2026-03", hundredths: "49600" }], [{ periodKey: "2026-03", hundredths: "9800" }]],
    });
    expect(await db().periodVolume.count({ where: { shopId: shop.shopId, periodStart: new Date("2026-04-01") } })).toBe(0);
    expect(await rowCounts(shop.shopId)).toEqual({ ...before, runs: before.runs + 1 });
  });

  it("once the refund window after March has passed, March's net bonuses move from pending to available, once", async () => {
    await updateCommissionSettings(db(), shop.shopId, { refundWindowDays: 30 }, "test");
    // March ended on April 1st: released on May 1st (with the empty January and February); April (ended May 1st)
    // is not due yet.
    expect(await releaseDuePeriods(db(), { now: new Date("2026-05-01T00:00:00Z"), shopId: shop.shopId })).toEqual({ periods: 3, transactions: 5 });
    expect(await releaseDuePeriods(db(), { now: new Date("2026-05-02T00:00:00Z"), shopId: shop.shopId })).toEqual({ periods: 0, transactions: 0 });
    const releases = await db().ledgerTransaction.findMany({
      where: { shopId: shop.shopId, kind: "hold_release", orderId: null },
      include: { postings: true },
    });
    const moved = Object.fromEntries(
      releases.map((release) => [release.idempotencyKey, release.postings.find((posting) => posting.accountKind === "wallet_available")!.amountMinor]),
    );
    // Net per (rule, recipient) after the corrections; ALPHA's rank-advancement bonus was taken back: nothing to move.
    expect(moved).toEqual({
      [`period-release:2026-03:binary:${shop.ids.ALPHA}`]: -2_500n,
      [`period-release:2026-03:binary:${shop.ids.ROOT}`]: -2_500n,
      [`period-release:2026-03:rankup:${shop.ids.ROOT}`]: -2_500n,
      [`period-release:2026-03:matching:${shop.ids.ALPHA}`]: -995n,
      [`period-release:2026-03:matching:${shop.ids.ROOT}`]: -648n,
    });
    expect((await db().commissionPeriod.findUniqueOrThrow({ where: { id: marchId } })).releasedAt).toEqual(new Date("2026-05-01T00:00:00Z"));
  });

  it("a correction after the release comes out of the available wallet", async () => {
    // Line A of BRAVO's order, refunded on March 28th: ROOT's right leg falls to 199 points (1 pair = 10.00
    // instead of the capped 25.00) and its match on BRAVO from 3.98 to 1.99.
    await deliver(datedRefundBody("9104", "99104", [LINE_A], "2026-03-28T12:00:00Z"), "refunds/create");
    const order = await orderRow(shop.shopId, "9104");
    await waitUntil(() => db().commissionReversal.findFirst({ where: { shopId: shop.shopId, orderId: order!.id } }), 20_000, "the reversal");
    await reopenCommissionPeriod(db(), shop.shopId, marchId, { actor: "admin@shop", reason: "late refund of order 9104" });
    const before = await periodTransactions(shop.shopId);
    expect(await closeCommissionPeriod(db(), shop.shopId, marchId, { actor: "test", now: new Date("2026-05-03T00:00:00Z") })).toMatchObject({
      action: "closed",
      revision: 4,
    });
    const corrections = await db().ledgerTransaction.findMany({
      where: { shopId: shop.shopId, idempotencyKey: { notIn: [...before.keys()] }, kind: "period_correction" },
      include: { postings: true },
    });
    expect(Object.fromEntries(corrections.map((t) => [t.idempotencyKey, t.postings.map((p) => [p.accountKind, p.amountMinor]).sort()]))).toEqual({
      [key("binary", "ROOT", 3)]: [
        ["commission_expense", -1_500n],
        ["wallet_available", 1_500n],
      ],
      [key("matching", "ROOT", 3)]: [
        ["commission_expense", -199n],
        ["wallet_available", 199n],
      ],
    });
  });
});
