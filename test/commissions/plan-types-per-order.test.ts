/**
 * Issue 6's per-order plan types end to end on real PostgreSQL and Redis: signed Shopify orders through the
 * ingest route and the worker (its fast path for new paid orders, its general path for an order whose refund
 * came first), the engine fed the placement upline (forced matrix), the buyer (fast-start) and the paid-as
 * ranks the period close wrote (differential unilevel). Each shop is built through the product's paths:
 * genealogy settings, enrollDistributor (which places recruits in the matrix), movePlacement, publishPlanVersion
 * and closeDuePeriods.
 *
 * Every order is Shopify's sample: 2 lines × 199.00 in the default class "general", so each line's base is
 * 199.00 and every rate below is paid per line, rounded half-even once, then summed over the two lines.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { evaluationFromJson } from "~/domain/engine";
import { loadCommissionContext } from "~/services/commissions/commission-context.server";
import { computeCommission } from "~/services/commissions/compute.server";
import { orderCommissions } from "~/services/api/order-commissions.server";
import { loadOrderForCommission } from "~/services/commissions/order-input.server";
import { createCommissionClass, publishPlanVersion, updateCommissionSettings } from "~/services/commissions/setup.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { changeDistributorStatus } from "~/services/genealogy/status.server";
import { movePlacement } from "~/services/genealogy/move-placement.server";
import { updateGenealogySettings } from "~/services/genealogy/settings.server";
import { closeDuePeriods } from "~/services/periods/close-due.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { firstPeriodJobDone } from "../periods/support";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { LINE_A, LINE_B, orderBody, orderRow, refundBody, walletDeltas, type OrderEdits } from "./support";

const app = runAppAndWorkers();

beforeAll(async () => {
  // The workers close due periods once at start; the rank shop below must not be closed by that run.
  await firstPeriodJobDone();
});

const percent = (...values: string[]) => values.map((value) => ({ kind: "percent", percent: value }));

async function newShop(domain: string) {
  const shopId = (await ensureShopifyShop(db(), domain)).id;
  await updateCommissionSettings(db(), shopId, { refundWindowDays: 3_650 }, "test");
  await createCommissionClass(db(), shopId, { key: "general", name: "General", isDefault: true });
  return shopId;
}

async function deliver(domain: string, body: string, topic: string) {
  const webhookId = randomUUID();
  const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId, shop: domain }));
  expect(response.status).toBe(200);
  return waitUntil(
    async () => {
      const event = await db().webhookEvent.findFirst({ where: { eventKey: webhookId } });
      return event && !["pending", "processing", "failed"].includes(event.status) ? event : null;
    },
    20_000,
    `webhook ${webhookId} processed`,
  );
}

/** Delivers a paid order and returns its stored Commission row once the worker wrote it. */
async function paidOrder(domain: string, shopId: string, orderId: string, edits: OrderEdits) {
  const event = await deliver(domain, orderBody(orderId, edits), "orders/paid");
  expect(event.status).toBe("processed");
  const order = (await orderRow(shopId, orderId))!;
  const commission = await db().commission.findFirstOrThrow({ where: { shopId, orderId: order.id } });
  return { order, commission };
}

class RolledBack extends Error {}

/** What the general path computes for the stored order now, in a transaction rolled back afterwards. */
async function recomputed(shopId: string, orderId: string) {
  let result: Awaited<ReturnType<typeof computeCommission>> | undefined;
  await db()
    .$transaction(async (tx) => {
      const order = await loadOrderForCommission(tx, shopId, orderId);
      result = await computeCommission(tx, shopId, order!, await loadCommissionContext(tx, shopId, order!));
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return result!;
}

/**
 * A 3 × 3 forced matrix beside a 3-level unilevel in one plan version. SAM enrolls four recruits: the first
 * three fill SAM's three slots, the fourth (RFOUR) spills breadth-first, left to right, under the first (RONE).
 *
 *   sponsor tree            placement tree (width 3)
 *   TOP                     TOP
 *   └─ SAM                  └─ SAM
 *      ├─ RONE                 ├─ RONE
 *      ├─ RTWO                 │  └─ RFOUR   (spilled: SAM's slots were full)
 *      ├─ RTHREE               ├─ RTWO
 *      └─ RFOUR                └─ RTHREE
 *
 * An order referred by RFOUR, per 199.00 line:
 *   unilevel 10 / 5 / 3 % up the sponsor line   RFOUR 19.90, SAM 9.95, TOP 5.97
 *   matrix    2 / 3 / 4 % up the placement line  RFOUR 3.98, RONE 5.97, SAM 7.96
 * Both lines: RFOUR 47.76, SAM 35.82, RONE 11.94, TOP 11.94.
 */
describe("a forced matrix beside a unilevel", () => {
  const domain = "plan-types-matrix.myshopify.com";
  let shopId: string;
  const ids: Record<string, string> = {};
  const placements: Record<string, unknown> = {};
  const PAID = { RFOUR: 4_776n, SAM: 3_582n, RONE: 1_194n, TOP: 1_194n };
  const HALF = { RFOUR: 2_388n, SAM: 1_791n, RONE: 597n, TOP: 597n };
  const RFOUR_CUSTOMER = "990004";

  beforeAll(async () => {
    shopId = await newShop(domain);
    await updateGenealogySettings(db(), shopId, { placement: { kind: "matrix", width: 3, depth: 5 } }, "test");
    const enroll = async (code: string, sponsorCode: string | null, enrolledAt: string, platformCustomerId: string | null = null) => {
      const enrolled = await enrollDistributor(db(), shopId, { code, sponsorCode, enrolledAt, platform: "shopify", platformCustomerId });
      ids[code] = enrolled.id;
      placements[code] = enrolled.placement;
    };
    await enroll("TOP", null, "2026-01-01T00:00:00Z");
    await enroll("SAM", "TOP", "2026-01-02T00:00:00Z");
    await enroll("RONE", "SAM", "2026-01-03T00:00:00Z");
    await enroll("RTWO", "SAM", "2026-01-04T00:00:00Z");
    await enroll("RTHREE", "SAM", "2026-01-05T00:00:00Z");
    await enroll("RFOUR", "SAM", "2026-01-06T00:00:00Z", RFOUR_CUSTOMER);
    await publishPlanVersion(
      db(),
      shopId,
      {
        schemaVersion: 1,
        components: [
          { type: "unilevel", id: "unilevel", maxDepth: 3, compression: "dynamic", rates: { general: percent("10", "5", "3") } },
          { type: "matrix", id: "matrix", width: 3, depth: 3, compression: "dynamic", rates: { general: percent("2", "3", "4") } },
        ],
      },
      "2026-01-01T00:00:00Z",
      "test",
    );
  });

  it("spills the fourth recruit of the width-3 sponsor under the first child", () => {
    expect(placements).toEqual({
      TOP: null,
      SAM: { parentId: ids.TOP, position: 0 },
      RONE: { parentId: ids.SAM, position: 0 },
      RTWO: { parentId: ids.SAM, position: 1 },
      RTHREE: { parentId: ids.SAM, position: 2 },
      RFOUR: { parentId: ids.RONE, position: 0 },
    });
  });

  it("pays the matrix up the placement line and the unilevel up the sponsor line (fast path = general path)", async () => {
    const { order, commission } = await paidOrder(domain, shopId, "7001", { ref: "RFOUR", createdAt: "2026-02-01T10:00:00Z" });
    expect(await walletDeltas(shopId, order.id)).toEqual(PAID);
    expect(commission).toMatchObject({ paidMinor: 10_746n, breakageMinor: 0n, outcome: "evaluated" });

    const evaluation = evaluationFromJson(commission.evaluation!);
    const byRule = (rule: string) =>
      evaluation.lines.filter((line) => line.rule === rule && line.orderLineId === LINE_A).map((line) => [line.level, line.distributorId, line.amountMinor]);
    expect(byRule("unilevel")).toEqual([
      [1, ids.RFOUR, 1_990n],
      [2, ids.SAM, 995n],
      [3, ids.TOP, 597n],
    ]);
    expect(byRule("matrix")).toEqual([
      [1, ids.RFOUR, 398n],
      [2, ids.RONE, 597n],
      [3, ids.SAM, 796n],
    ]);
    // The placement chain is an input, recorded as deep as the matrix pays, with absolute depths (TOP is 0).
    expect(evaluation.snapshot.placementUpline).toEqual([
      { distributorId: ids.RFOUR, status: "active", placementDepth: 3 },
      { distributorId: ids.RONE, status: "active", placementDepth: 2 },
      { distributorId: ids.SAM, status: "active", placementDepth: 1 },
    ]);
    expect(evaluation.snapshot.buyer).toBeUndefined();
    // The general path loads the same inputs for the stored order: byte-identical evaluation.
    expect((await recomputed(shopId, order.id)).row.evaluation).toBe(commission.evaluation);

    // The REST explanation of a matrix line points at its node on the placement chain.
    const explained = await orderCommissions(db(), shopId, order.id, new URLSearchParams());
    const roneLine = explained.commission!.lines.find((line) => line.rule === "matrix" && line.distributor_id === ids.RONE)!;
    expect(roneLine.explanation).toMatchObject({ upline_node: null, placement_node: { chain_index: 1, status: "active", placement_depth: 2 } });
  });

  it("applies a refund that came before its order through the general path, against the matrix evaluation", async () => {
    const refund = await deliver(domain, refundBody("7003", "8703", [LINE_A]), "refunds/create");
    expect(refund.status).toBe("processed");
    const { order } = await paidOrder(domain, shopId, "7003", { ref: "RFOUR", createdAt: "2026-02-10T10:00:00Z" });
    expect(await walletDeltas(shopId, order.id)).toEqual(HALF);
  });

  it("after a placement move: a refund reverses from the snapshot, and new orders follow the tree as of their time", async () => {
    await movePlacement(db(), shopId, {
      distributorId: ids.RFOUR!,
      newParent: "RTWO",
      position: 0,
      effectiveFrom: new Date("2026-03-01T00:00:00Z"),
      reason: "matrix correction",
      actor: "test",
    });

    // Order 7001 paid RONE; the refund of one line takes back exactly half of what the snapshot paid, RTWO untouched.
    const order = (await orderRow(shopId, "7001"))!;
    await deliver(domain, refundBody("7001", "8701", [LINE_A]), "refunds/create");
    expect(await walletDeltas(shopId, order.id)).toEqual(HALF);
    await deliver(domain, refundBody("7001", "8702", [LINE_B]), "refunds/create");
    expect(await walletDeltas(shopId, order.id)).toEqual({ RFOUR: 0n, SAM: 0n, RONE: 0n, TOP: 0n });
    const commission = await db().commission.findFirstOrThrow({ where: { shopId, orderId: order.id } });
    expect((await recomputed(shopId, order.id)).row.evaluation).toBe(commission.evaluation);

    // Ordered after the move: RTWO holds matrix level 2. Ordered before it but delivered after: still RONE.
    const after = await paidOrder(domain, shopId, "7004", { ref: "RFOUR", createdAt: "2026-03-05T10:00:00Z" });
    expect(await walletDeltas(shopId, after.order.id)).toEqual({ RFOUR: 4_776n, SAM: 3_582n, RTWO: 1_194n, TOP: 1_194n });
    const late = await paidOrder(domain, shopId, "7005", { ref: "RFOUR", createdAt: "2026-02-15T10:00:00Z" });
    expect(await walletDeltas(shopId, late.order.id)).toEqual(PAID);
  });

  it("starts both chains above a buyer who is a distributor: the sponsor line at SAM, the placement line at RONE", async () => {
    // RFOUR's own order (their customer account), before the move. Per line: unilevel SAM 10 % 19.90, TOP 5 %
    // 9.95; matrix RONE 2 % 3.98, SAM 3 % 5.97, TOP 4 % 7.96. Nobody is paid on their own purchase.
    const { order, commission } = await paidOrder(domain, shopId, "7006", { ref: null, customerId: RFOUR_CUSTOMER, createdAt: "2026-02-20T10:00:00Z" });
    expect(await walletDeltas(shopId, order.id)).toEqual({ SAM: 5_174n, TOP: 3_582n, RONE: 796n });
    const { snapshot } = evaluationFromJson(commission.evaluation!);
    expect(snapshot.buyer).toEqual({ distributorId: ids.RFOUR, enrolledAt: "2026-01-06T00:00:00.000Z" });
    expect(snapshot.placementUpline?.map((node) => node.distributorId)).toEqual([ids.RONE, ids.SAM, ids.TOP]);
  });

  it("compresses the matrix past an inactive placement parent (dynamic), loading the chain one node deeper", async () => {
    // RTWO (RFOUR's placement parent since March) inactive from April: matrix levels go RFOUR, SAM, TOP. Per
    // line: RFOUR 19.90 + 3.98, SAM 9.95 + 5.97, TOP 5.97 + 7.96.
    await changeDistributorStatus(db(), shopId, ids.RTWO!, { status: "inactive", effectiveFrom: new Date("2026-04-01T00:00:00Z"), actor: "test" });
    const { order, commission } = await paidOrder(domain, shopId, "7007", { ref: "RFOUR", createdAt: "2026-04-05T10:00:00Z" });
    expect(await walletDeltas(shopId, order.id)).toEqual({ RFOUR: 4_776n, SAM: 3_184n, TOP: 2_786n });
    const { snapshot } = evaluationFromJson(commission.evaluation!);
    expect(snapshot.placementUpline?.map((node) => [node.distributorId, node.status])).toEqual([
      [ids.RFOUR, "active"],
      [ids.RTWO, "inactive"],
      [ids.SAM, "active"],
      [ids.TOP, "active"],
    ]);
    expect((await recomputed(shopId, order.id)).row.evaluation).toBe(commission.evaluation);
  });
});

/**
 * Fast-start 20 / 10 % for 30 days (doTERRA's shape, shorter) beside a 1-level unilevel of 5 %, on the orders of
 * NEWBIE (enrolled 2026-01-10T00:00:00Z, window [01-10, 02-09)), who buys with their own customer account: the
 * chain starts at their sponsor SPONSOR. Per 199.00 line inside the window: SPONSOR 39.80 + 9.95, TOP 19.90;
 * outside it: SPONSOR 9.95 only.
 */
describe("fast-start", () => {
  const domain = "plan-types-fast-start.myshopify.com";
  const NEWBIE_CUSTOMER = "880001";
  let shopId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    shopId = await newShop(domain);
    ids.TOP = (await enrollDistributor(db(), shopId, { code: "TOP", enrolledAt: "2026-01-01T00:00:00Z" })).id;
    ids.SPONSOR = (await enrollDistributor(db(), shopId, { code: "SPONSOR", sponsorCode: "TOP", enrolledAt: "2026-01-02T00:00:00Z" })).id;
    ids.NEWBIE = (
      await enrollDistributor(db(), shopId, {
        code: "NEWBIE",
        sponsorCode: "SPONSOR",
        enrolledAt: "2026-01-10T00:00:00Z",
        platform: "shopify",
        platformCustomerId: NEWBIE_CUSTOMER,
      })
    ).id;
    await publishPlanVersion(
      db(),
      shopId,
      {
        schemaVersion: 1,
        components: [
          { type: "fast_start", id: "fast-start", windowDays: 30, compression: "none", rates: { general: percent("20", "10") } },
          { type: "unilevel", id: "unilevel", maxDepth: 1, compression: "dynamic", rates: { general: percent("5") } },
        ],
      },
      "2026-01-01T00:00:00Z",
      "test",
    );
  });

  it("pays the recruit's enrollers on the recruit's own orders inside the window, to its last second", async () => {
    const inside = await paidOrder(domain, shopId, "7101", { ref: null, customerId: NEWBIE_CUSTOMER, createdAt: "2026-01-20T10:00:00Z" });
    expect(await walletDeltas(shopId, inside.order.id)).toEqual({ SPONSOR: 9_950n, TOP: 3_980n });
    const evaluation = evaluationFromJson(inside.commission.evaluation!);
    expect(evaluation.snapshot.buyer).toEqual({ distributorId: ids.NEWBIE, enrolledAt: "2026-01-10T00:00:00.000Z" });
    expect(evaluation.snapshot.upline.map((node) => node.distributorId)).toEqual([ids.SPONSOR, ids.TOP]);
    expect((await recomputed(shopId, inside.order.id)).row.evaluation).toBe(inside.commission.evaluation);

    const lastSecond = await paidOrder(domain, shopId, "7102", { ref: null, customerId: NEWBIE_CUSTOMER, createdAt: "2026-02-08T23:59:59Z" });
    expect(await walletDeltas(shopId, lastSecond.order.id)).toEqual({ SPONSOR: 9_950n, TOP: 3_980n });
  });

  it("pays nothing once the window has closed, and nothing on orders the recruit only referred", async () => {
    const after = await paidOrder(domain, shopId, "7103", { ref: null, customerId: NEWBIE_CUSTOMER, createdAt: "2026-02-09T00:00:00Z" });
    expect(await walletDeltas(shopId, after.order.id)).toEqual({ SPONSOR: 1_990n });
    expect(evaluationFromJson(after.commission.evaluation!).components.find((component) => component.type === "fast_start")).toMatchObject({
      window: { recruitId: ids.NEWBIE, endsAt: "2026-02-09T00:00:00.000Z", inWindow: false },
    });

    // A customer's order referred by NEWBIE inside the window: NEWBIE is not the buyer, so only the unilevel pays.
    const referred = await paidOrder(domain, shopId, "7104", { ref: "NEWBIE", createdAt: "2026-01-21T10:00:00Z" });
    expect(await walletDeltas(shopId, referred.order.id)).toEqual({ NEWBIE: 1_990n });
  });
});

/**
 * Differential unilevel by paid-as rank: bronze 5 %, silver 8 %, gold 10 %; each holder earns their rank's
 * percent minus the highest already earned below them. Ranks come from the close of January 2026 (group volume,
 * PV included; thresholds bronze 300, silver 700, gold 1,100 points), with January's orders (398 points each):
 * LEAF refers one (LEAF GV 398: bronze; LOW 398: bronze), MID one (MID 796: silver), TOP one (TOP 1,194: gold).
 * In January nobody has a rank yet, so the whole 10 % is breakage. A February order referred by LEAF, per 199.00
 * line: LEAF 5 % = 9.95, LOW bronze adds nothing (rolls up), MID 8 − 5 = 3 % = 5.97, TOP 10 − 8 = 2 % = 3.98.
 */
describe("differential unilevel with paid-as ranks from the period close", () => {
  const domain = "plan-types-differential.myshopify.com";
  let shopId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    shopId = await newShop(domain);
    ids.TOP = (await enrollDistributor(db(), shopId, { code: "TOP", enrolledAt: "2025-12-01T00:00:00Z" })).id;
    ids.MID = (await enrollDistributor(db(), shopId, { code: "MID", sponsorCode: "TOP", enrolledAt: "2025-12-02T00:00:00Z" })).id;
    ids.LOW = (await enrollDistributor(db(), shopId, { code: "LOW", sponsorCode: "MID", enrolledAt: "2025-12-03T00:00:00Z" })).id;
    ids.LEAF = (await enrollDistributor(db(), shopId, { code: "LEAF", sponsorCode: "LOW", enrolledAt: "2025-12-04T00:00:00Z" })).id;
    await publishPlanVersion(
      db(),
      shopId,
      {
        schemaVersion: 1,
        period: { schedule: "monthly" },
        components: [
          {
            type: "unilevel",
            id: "differential",
            maxDepth: 4,
            compression: "dynamic",
            differential: { rates: { general: { bronze: "5", silver: "8", gold: "10" } } },
          },
          {
            type: "rank",
            id: "ranks",
            volume: "pv",
            activeLegMinPersonalVolume: "0",
            ranks: [
              { id: "bronze", personalVolume: "0", groupVolume: "300", activeLegs: 0 },
              { id: "silver", personalVolume: "0", groupVolume: "700", activeLegs: 0 },
              { id: "gold", personalVolume: "0", groupVolume: "1100", activeLegs: 0 },
            ],
          },
        ],
      },
      "2026-01-01T00:00:00Z",
      "test",
    );
  });

  it("pays nothing to the unranked in January, then the rank differences once January is closed", async () => {
    const january = [
      ["7201", "LEAF", "2026-01-05T10:00:00Z"],
      ["7202", "MID", "2026-01-06T10:00:00Z"],
      ["7203", "TOP", "2026-01-07T10:00:00Z"],
    ] as const;
    for (const [orderId, ref, createdAt] of january) {
      const { order, commission } = await paidOrder(domain, shopId, orderId, { ref, createdAt });
      expect(commission).toMatchObject({ paidMinor: 0n, breakageMinor: 3_980n });
      expect(await walletDeltas(shopId, order.id)).toEqual({});
    }

    expect(await closeDuePeriods(db(), { now: new Date("2026-02-01T00:00:00Z"), shopId })).toMatchObject({ closed: 1, refused: [] });
    const ranks = await db().distributorRankPeriod.findMany({ where: { shopId }, select: { distributorId: true, paidAsRank: true } });
    const code = (id: string) => Object.entries(ids).find(([, value]) => value === id)![0];
    expect(Object.fromEntries(ranks.map((rank) => [code(rank.distributorId), rank.paidAsRank]))).toEqual({
      LEAF: "bronze",
      LOW: "bronze",
      MID: "silver",
      TOP: "gold",
    });

    const { order, commission } = await paidOrder(domain, shopId, "7204", { ref: "LEAF", createdAt: "2026-02-03T10:00:00Z" });
    expect(await walletDeltas(shopId, order.id)).toEqual({ LEAF: 1_990n, MID: 1_194n, TOP: 796n });
    expect(commission).toMatchObject({ paidMinor: 3_980n, breakageMinor: 0n });
    const evaluation = evaluationFromJson(commission.evaluation!);
    // The ranks are inputs: recorded on the upline, so a refund never reads today's ranks.
    expect(evaluation.snapshot.upline.map((node) => [node.distributorId, node.rank])).toEqual([
      [ids.LEAF, "bronze"],
      [ids.LOW, "bronze"],
      [ids.MID, "silver"],
      [ids.TOP, "gold"],
    ]);
    expect(evaluation.lines.filter((line) => line.orderLineId === LINE_A).map((line) => [line.distributorId, line.rate])).toEqual([
      [ids.LEAF, { kind: "percent", percent: "5" }],
      [ids.MID, { kind: "percent", percent: "3" }],
      [ids.TOP, { kind: "percent", percent: "2" }],
    ]);
    expect((await recomputed(shopId, order.id)).row.evaluation).toBe(commission.evaluation);
  });

  it("pays a January order delivered after January's close as if delivered before: ranks come from periods ended by the order's time", async () => {
    const { order, commission } = await paidOrder(domain, shopId, "7205", { ref: "LEAF", createdAt: "2026-01-25T10:00:00Z" });
    expect(commission).toMatchObject({ paidMinor: 0n, breakageMinor: 3_980n });
    expect(await walletDeltas(shopId, order.id)).toEqual({});
    const evaluation = evaluationFromJson(commission.evaluation!);
    expect(evaluation.snapshot.upline.map((node) => node.rank ?? null)).toEqual([null, null, null, null]);
  });
});
