/**
 * Issue 14, the lost referral (ADR 0008), end to end through signed Shopify webhooks: a customer auto-enrolled
 * without a sponsor code is provisional; their first order carrying an affiliate's link or coupon credits the
 * affiliate to the cent and moves the customer under them from their enrolment, audited. An established
 * distributor's own purchase keeps the own-purchase rule.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { mapDiscountCode } from "~/services/commissions/setup.server";
import { PROVISIONAL_SPONSOR_ACTOR } from "~/services/commissions/provisional-sponsor.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, waitUntil } from "../support/deliveries";
import { customerBody } from "../genealogy/support";
import { orderBody, orderRow, seedShop, walletDeltas, type OrderEdits, type SeededShop } from "./support";

const app = runAppAndWorkers();
let shop: SeededShop;
let companyId: string;

beforeAll(async () => {
  shop = await seedShop();
});

async function deliver(body: string, topic: string) {
  const response = await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId: randomUUID() }));
  expect(response.status).toBe(200);
}

/** customers/create without a code (Shopify's sample, created 2022-01-01T00:00:00Z unless told) → the distributor. */
async function customerWithoutCode(customerId: string, createdAt?: string, ref: string | null = null) {
  await deliver(customerBody(customerId, `c${customerId}@example.com`, ref, createdAt), "customers/create");
  const ref_ = await waitUntil(
    () =>
      db().distributorCustomerRef.findFirst({
        where: { shopId: shop.shopId, platform: "shopify", platformCustomerId: customerId },
        include: { distributor: true },
      }),
    20_000,
    `customer ${customerId} enrolled`,
  );
  companyId = (await db().distributor.findFirstOrThrow({ where: { shopId: shop.shopId, isCompanyNode: true } })).id;
  return ref_.distributor;
}

/** orders/paid (the sample: 2 × 199.00 in class "standard", placed 2022-01-01T00:00:00Z) → its order and commission. */
async function paidOrder(orderId: string, edits: OrderEdits) {
  await deliver(orderBody(orderId, edits), "orders/paid");
  const order = await waitUntil(() => orderRow(shop.shopId, orderId), 20_000, `order ${orderId}`);
  const commission = await waitUntil(
    () => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }),
    20_000,
    `commission of ${orderId}`,
  );
  return { order, commission };
}

async function sponsorEdges(distributorId: string) {
  return db().sponsorEdge.findMany({ where: { shopId: shop.shopId, distributorId }, orderBy: { validFrom: "asc" } });
}

describe("a customer auto-enrolled without a sponsor code", () => {
  it("is moved under the affiliate whose link their first order carries, and the affiliate is credited to the cent", async () => {
    const bob = await customerWithoutCode("5550001");
    expect(bob.provisionalSponsorUntil).toEqual(new Date("2022-01-31T00:00:00Z"));
    expect((await sponsorEdges(bob.id)).map((edge) => edge.sponsorId)).toEqual([companyId]);

    // Placed in the same second the customer record was created (Shopify stamps both to the second).
    const { order, commission } = await paidOrder("9100001", { customerId: "5550001", ref: "jane-01" });
    expect(commission).toMatchObject({
      attributedDistributorId: bob.id,
      attributionSource: "provisional_sponsor_set",
      attributionCode: "JANE01",
      paidMinor: 7_164n,
      breakageMinor: 0n,
    });
    expect(commission.attributionReason).toMatch(/^provisional_sponsor_set: .*cart_attribute.*makes JANE01 their sponsor from 2022-01-01T00:00:00\.001Z/);
    // Bob's own purchase pays from his new sponsor up: JANE01 10 %, MIKE (inactive) compressed, SAM 5 %, ROOT 3 %.
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 3_980n, ROOT: 1_194n, SAM: 1_990n });

    // The move: the company edge held for one millisecond, JANE01's from then on; one move row, one audit row.
    const edges = await sponsorEdges(bob.id);
    expect(edges.map((edge) => [edge.sponsorId, edge.validFrom.toISOString(), edge.validTo?.toISOString() ?? null])).toEqual([
      [companyId, "2022-01-01T00:00:00.000Z", "2022-01-01T00:00:00.001Z"],
      [shop.ids.JANE01, "2022-01-01T00:00:00.001Z", null],
    ]);
    const moves = await db().genealogyMove.findMany({ where: { shopId: shop.shopId, distributorId: bob.id } });
    expect(moves).toEqual([
      expect.objectContaining({ tree: "sponsor", fromParentId: companyId, toParentId: shop.ids.JANE01, actor: PROVISIONAL_SPONSOR_ACTOR }),
    ]);
    expect(moves[0]!.reason).toContain(`order ${order.id}`);
    const audits = await db().auditLog.findMany({ where: { shopId: shop.shopId, entityId: bob.id, action: "distributor.sponsor_moved" } });
    expect(audits).toEqual([expect.objectContaining({ actor: PROVISIONAL_SPONSOR_ACTOR, before: { sponsorId: companyId } })]);
    expect((await db().distributor.findUniqueOrThrow({ where: { id: bob.id } })).provisionalSponsorUntil).toBeNull();

    // Settled: the next order, carrying another affiliate's link, is Bob's own purchase under JANE01 and moves nobody.
    const next = await paidOrder("9100002", { customerId: "5550001", ref: "SAM", createdAt: "2022-01-05T10:00:00-05:00" });
    expect(next.commission).toMatchObject({ attributedDistributorId: bob.id, attributionSource: "buyer_is_distributor", attributionCode: null });
    expect(next.commission.attributionReason).toMatch(/established distributor/);
    expect(await walletDeltas(shop.shopId, next.order.id)).toEqual({ JANE01: 3_980n, ROOT: 1_194n, SAM: 1_990n });
    expect(await db().genealogyMove.count({ where: { shopId: shop.shopId, distributorId: bob.id } })).toBe(1);
  });

  it("is moved under the affiliate whose coupon is their first order's only reference", async () => {
    await mapDiscountCode(db(), shop.shopId, "JANE-SPRING", shop.ids.JANE01!);
    const cleo = await customerWithoutCode("5550002", "2021-12-20T09:00:00Z");
    const { order, commission } = await paidOrder("9100003", { customerId: "5550002", ref: null, discountCode: "jane-spring" });
    expect(commission).toMatchObject({ attributedDistributorId: cleo.id, attributionSource: "provisional_sponsor_set", attributionCode: "JANE-SPRING" });
    expect(commission.attributionReason).toContain("coupon JANE-SPRING is mapped to JANE01");
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 3_980n, ROOT: 1_194n, SAM: 1_990n });
    expect((await sponsorEdges(cleo.id)).map((edge) => [edge.sponsorId, edge.validFrom.toISOString()])).toEqual([
      [companyId, "2021-12-20T09:00:00.000Z"],
      [shop.ids.JANE01, "2021-12-20T09:00:00.001Z"],
    ]);
  });

  it("keeps the own-purchase rule once the window has closed", async () => {
    const dora = await customerWithoutCode("5550003", "2021-11-01T00:00:00Z");
    const { order, commission } = await paidOrder("9100004", { customerId: "5550003", ref: "JANE01" });
    expect(commission).toMatchObject({ attributedDistributorId: dora.id, attributionSource: "buyer_is_distributor" });
    expect(commission.attributionReason).toMatch(/window closed at 2021-12-01T00:00:00\.000Z/);
    // Her sponsor is the company node: every level is breakage, nobody is paid.
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({});
    expect(await db().genealogyMove.count({ where: { shopId: shop.shopId, distributorId: dora.id } })).toBe(0);
  });
});

describe("attribution that was right before stays right", () => {
  it("an established distributor's own purchase pays from their sponsor, whatever link the cart carries", async () => {
    const eve = await customerWithoutCode("5550004", undefined, "SAM");
    expect(eve.provisionalSponsorUntil).toBeNull();
    const { order, commission } = await paidOrder("9100005", { customerId: "5550004", ref: "JANE01" });
    expect(commission).toMatchObject({ attributedDistributorId: eve.id, attributionSource: "buyer_is_distributor", attributionCode: null });
    expect(commission.attributionReason).toContain("established distributor: cart_attribute: referral code JANE01");
    // SAM 10 %, ROOT 5 %.
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ ROOT: 1_990n, SAM: 3_980n });
    expect(await db().genealogyMove.count({ where: { shopId: shop.shopId, distributorId: eve.id } })).toBe(0);
  });

  it("a guest order carrying only the affiliate's coupon credits the affiliate", async () => {
    const { order, commission } = await paidOrder("9100006", { customerId: "5559999", ref: null, discountCode: "JANE-SPRING" });
    expect(commission).toMatchObject({ attributedDistributorId: shop.ids.JANE01, attributionSource: "discount_code_mapping", attributionCode: "JANE-SPRING" });
    expect(commission.attributionReason).toBe("discount_code_mapping: coupon JANE-SPRING is mapped to JANE01");
    expect(await walletDeltas(shop.shopId, order.id)).toEqual({ JANE01: 3_980n, ROOT: 1_194n, SAM: 1_990n });
  });
});
