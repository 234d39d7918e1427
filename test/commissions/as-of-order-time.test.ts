/**
 * Everything an order is paid by is taken as of the order's timestamp and frozen in its snapshot: the plan
 * version, the sponsor tree, statuses. Later changes (a new plan version, a sponsor move) change nothing already
 * posted, and later refunds reverse against the original recipients. Plus the attribution rules.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import { evaluationFromJson } from "~/domain/engine";
import { mapDiscountCode, publishPlanVersion } from "~/services/commissions/setup.server";
import { enrollDistributor } from "~/services/genealogy/enroll.server";
import { moveSponsor } from "~/services/genealogy/move-sponsor.server";
import { uplineAt } from "~/services/genealogy/upline.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { LINE_A, ledgerCounts, orderBody, orderRow, planRules, refundBody, seedShop, walletDeltas, type SeededShop } from "./support";

const app = runAppAndWorkers();
let shop: SeededShop;

beforeAll(async () => {
  shop = await seedShop();
  // v2 from mid-2022 pays 20 / 10 / 5 % on "standard".
  await publishPlanVersion(db(), shop.shopId, planRules(["20", "10", "5"], ["4", "2", "1"]), "2022-06-01T00:00:00Z", "test");
});

async function deliver(body: string, topic = "orders/paid") {
  const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId: randomUUID() }));
  expect(response.status).toBe(200);
}

async function commissionOf(platformOrderId: string) {
  const order = await waitUntil(() => orderRow(shop.shopId, platformOrderId), 20_000, `order ${platformOrderId}`);
  const commission = await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, "its commission");
  return { order, commission };
}

describe("the plan version in force at the order's time", () => {
  it("pays an order placed before v2's start under v1, and one placed after under v2", async () => {
    const before = await commissionOf_(await deliverAnd("6001", {}));
    expect(evaluationFromJson(before.commission.evaluation!).snapshot.planVersion.version).toBe(1);
    expect(await walletDeltas(shop.shopId, before.order.id)).toEqual({ JANE01: 3_980n, ROOT: 1_194n, SAM: 1_990n });

    const after = await commissionOf_(await deliverAnd("6002", { createdAt: "2022-07-01T12:00:00Z", updatedAt: "2022-07-01T12:00:00Z" }));
    expect(evaluationFromJson(after.commission.evaluation!).snapshot.planVersion.version).toBe(2);
    expect(await walletDeltas(shop.shopId, after.order.id)).toEqual({ JANE01: 7_960n, ROOT: 1_990n, SAM: 3_980n });
  });

  it("records an order placed before any plan version as not evaluated and posts nothing", async () => {
    const { order, commission } = await commissionOf_(await deliverAnd("6003", { createdAt: "2020-06-01T00:00:00Z", updatedAt: "2020-06-01T00:00:00Z" }));
    expect(commission).toMatchObject({ outcome: "no_plan", flagTypes: ["no_plan_in_force"], evaluation: null, paidMinor: 0n });
    expect(await db().ledgerTransaction.count({ where: { shopId: shop.shopId, orderId: order.id } })).toBe(0);
  });
});

describe("a sponsor move after the order", () => {
  it("changes nothing already posted, and a later refund still reverses the original recipients", async () => {
    const { order } = await commissionOf_(await deliverAnd("6101", {}));
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 3_980n, ROOT: 1_194n, SAM: 1_990n });
    const countsBefore = await ledgerCounts(shop.shopId);

    // JANE01 moves straight under ROOT from now on: SAM is no longer in her upline.
    await moveSponsor(db(), shop.shopId, {
      distributorId: shop.ids.JANE01!,
      newSponsor: "ROOT",
      effectiveFrom: new Date(),
      reason: "merchant correction",
      actor: "test",
    });
    const now = (await uplineAt(db(), shop.shopId, shop.ids.JANE01!, new Date(), 3)).map((node) => node.distributorId);
    expect(now).toEqual([shop.ids.JANE01, shop.ids.ROOT]);
    const then = (await uplineAt(db(), shop.shopId, shop.ids.JANE01!, new Date("2022-01-01T00:00:00Z"), 3)).map((node) => node.distributorId);
    expect(then).toEqual([shop.ids.JANE01, shop.ids.MIKE, shop.ids.SAM, shop.ids.ROOT]);

    // The same order delivered again, and an update: nothing recomputed against today's tree.
    await deliver(orderBody("6101"));
    await deliver(orderBody("6101", { updatedAt: "2022-01-03T00:00:00Z" }), "orders/updated");
    await waitUntil(async () => (await db().webhookEvent.count({ where: { status: { in: ["pending", "processing", "failed"] } } })) === 0);
    expect(await ledgerCounts(shop.shopId)).toEqual(countsBefore);
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 3_980n, ROOT: 1_194n, SAM: 1_990n });

    await deliver(refundBody("6101", "7101", [LINE_A]), "refunds/create");
    await waitUntil(() => db().commissionReversal.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 20_000, "the reversal");
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 1_990n, ROOT: 597n, SAM: 995n });

    // Orders placed after the move are paid along the new line: JANE01 L1, ROOT L2, nobody at L3 (breakage).
    const later = await commissionOf_(
      await deliverAnd("6102", { createdAt: new Date(Date.now() + 1_000).toISOString(), updatedAt: new Date(Date.now() + 1_000).toISOString() }),
    );
    expect(await walletDeltas(shop.shopId, later.order.id)).toEqual({ JANE01: 7_960n, ROOT: 3_980n });
    expect(later.commission.breakageMinor).toBe(1_990n);
  });
});

describe("attribution", () => {
  it("attributes a buyer who is a distributor to themselves, paying from their sponsor up (no pay on own purchases)", async () => {
    const buyer = await enrollDistributor(db(), shop.shopId, {
      code: "BUYER1",
      sponsorCode: "SAM",
      enrolledAt: "2021-04-01T00:00:00Z",
      platform: "shopify",
      platformCustomerId: "9999000001",
    });
    // The cart carries JANE01's link, but a distributor's own order stays in their own line.
    const { order, commission } = await commissionOf_(await deliverAnd("6201", { customerId: "9999000001" }));
    expect(commission).toMatchObject({ attributedDistributorId: buyer.id, attributionSource: "buyer_is_distributor", attributionCode: null });
    // Chain above BUYER1: SAM (L1 10 %), ROOT (L2 5 %), nobody at L3.
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ ROOT: 1_990n, SAM: 3_980n });
  });

  it("falls back to a discount code mapped to a distributor when the order carries no referral code", async () => {
    await mapDiscountCode(db(), shop.shopId, "spring-sam", shop.ids.SAM!);
    const { order, commission } = await commissionOf_(await deliverAnd("6301", { ref: null, discountCode: "Spring-Sam" }));
    expect(commission).toMatchObject({ attributedDistributorId: shop.ids.SAM, attributionSource: "discount_code_mapping", attributionCode: "SPRING-SAM" });
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ ROOT: 1_990n, SAM: 3_980n });
  });

  it("reads a referral code case- and separator-insensitively", async () => {
    const { commission } = await commissionOf_(await deliverAnd("6302", { ref: "jane-01" }));
    expect(commission).toMatchObject({ attributedDistributorId: shop.ids.JANE01, attributionSource: "cart_attribute", attributionCode: "JANE01" });
  });
});

async function deliverAnd(orderId: string, edits: Parameters<typeof orderBody>[1]) {
  await deliver(orderBody(orderId, edits));
  return orderId;
}
const commissionOf_ = commissionOf;
