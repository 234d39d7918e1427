/**
 * Affiliates' personal coupons, created in Shopify and mapped to the affiliate, so an order that carries only the
 * coupon (an accelerated checkout that skipped the cart, a code shared by word of mouth) is attributed to them
 * (DiscountCodeMapping, read by attribution). The coupon follows the affiliate: disabled when they stop being
 * active (inactive or terminated), active again if they come back, deleted when they are redacted.
 *
 * Mutations (Admin GraphQL 2026-10, scope write_discounts):
 *   discountCodeBasicCreate  https://shopify.dev/docs/api/admin-graphql/latest/mutations/discountCodeBasicCreate
 *     input DiscountCodeBasicInput (https://shopify.dev/docs/api/admin-graphql/2026-01/input-objects/DiscountCodeBasicInput):
 *     code, title, startsAt, context (the deprecated customerSelection's successor) and customerGets are required
 *     when creating; the payload is { codeDiscountNode, userErrors: [DiscountUserError] }
 *   discountCodeDeactivate / discountCodeActivate / discountCodeDelete, by the DiscountCodeNode id.
 *
 * Idempotency is the database's: AffiliateCoupon is unique per (shop, distributor). The request that inserts the
 * row (status "creating") is the one that calls Shopify; a concurrent request finds the row and waits for its
 * outcome. A "creating" row left by a process that died is taken over after CLAIM_STALE_MS.
 */
import type { Db } from "~/db.server";
import { normalizeDiscountCode } from "~/domain/attribution/discount-code";
import { logger } from "~/logger.server";
import { mapDiscountCode } from "~/services/commissions/setup.server";
import { AdminApiUserErrors, assertNoUserErrors, type ShopifyAdminClient, type UserError } from "./admin-client.server";

export type CouponStatus = "creating" | "active" | "disabled" | "deleted" | "failed";

export interface AffiliateCouponRow {
  id: string;
  distributorId: string;
  code: string;
  percentOff: number;
  status: CouponStatus;
  shopifyDiscountId: string | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CouponShop {
  readonly id: string;
  readonly domain: string;
}

export interface CouponRequest {
  /** Default: the affiliate's referral code. */
  readonly code?: string;
  /** Whole percent off the order's items. */
  readonly percentOff: number;
  readonly actor: string;
}

export type CouponRefusalCode = "unknown_distributor" | "not_eligible" | "code_refused" | "pending";

export class CouponRefusedError extends Error {
  override name = "CouponRefusedError";
  constructor(
    readonly code: CouponRefusalCode,
    message: string,
    readonly userErrors: readonly UserError[] = [],
  ) {
    super(message);
  }
}

const CLAIM_STALE_MS = 120_000;
const WAIT_FOR_CLAIM_MS = 20_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const DISCOUNT_CODE_BASIC_CREATE = `mutation AffiliateCouponCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title status codes(first: 1) { nodes { code } } } } }
    userErrors { field message code }
  }
}`;
export const DISCOUNT_CODE_DEACTIVATE = `mutation AffiliateCouponDeactivate($id: ID!) {
  discountCodeDeactivate(id: $id) { codeDiscountNode { id } userErrors { field message code } }
}`;
export const DISCOUNT_CODE_ACTIVATE = `mutation AffiliateCouponActivate($id: ID!) {
  discountCodeActivate(id: $id) { codeDiscountNode { id } userErrors { field message code } }
}`;
export const DISCOUNT_CODE_DELETE = `mutation AffiliateCouponDelete($id: ID!) {
  discountCodeDelete(id: $id) { deletedCodeDiscountId userErrors { field message code } }
}`;

const couponSelect = {
  id: true,
  distributorId: true,
  code: true,
  percentOff: true,
  status: true,
  shopifyDiscountId: true,
  lastError: true,
  createdAt: true,
  updatedAt: true,
} as const;

export async function findAffiliateCoupon(db: Db, shopId: string, distributorId: string): Promise<AffiliateCouponRow | null> {
  return (await db.affiliateCoupon.findUnique({
    where: { shopId_distributorId: { shopId, distributorId } },
    select: couponSelect,
  })) as AffiliateCouponRow | null;
}

/** The DiscountCodeBasicInput of a personal coupon: a percentage off every item, for every buyer, from now on. */
export function couponInput(code: string, percentOff: number, affiliateLabel: string, startsAt: Date) {
  return {
    title: `Upline affiliate ${affiliateLabel} (${code})`,
    code,
    startsAt: startsAt.toISOString(),
    context: { all: "ALL" },
    customerGets: { value: { percentage: percentOff / 100 }, items: { all: true } },
    appliesOncePerCustomer: false,
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
  };
}

/**
 * The affiliate's coupon, created in Shopify on the first request. `created` is true only for the request that
 * created it. Refuses an affiliate who is not active, or redacted.
 */
export async function requestAffiliateCoupon(
  db: Db,
  client: ShopifyAdminClient,
  shop: CouponShop,
  distributorId: string,
  request: CouponRequest,
): Promise<{ coupon: AffiliateCouponRow; created: boolean }> {
  const distributor = await db.distributor.findFirst({
    where: { shopId: shop.id, id: distributorId },
    select: { id: true, code: true, status: true, redactedAt: true },
  });
  if (!distributor) throw new CouponRefusedError("unknown_distributor", `no distributor ${distributorId} in this shop`);
  const existing = await findAffiliateCoupon(db, shop.id, distributorId);
  if (existing && existing.status !== "failed" && existing.status !== "creating") return { coupon: existing, created: false };
  if (distributor.status !== "active" || distributor.redactedAt) {
    throw new CouponRefusedError(
      "not_eligible",
      `the distributor is ${distributor.redactedAt ? "redacted" : distributor.status}: only an active affiliate gets a coupon`,
    );
  }
  const code = (request.code ?? distributor.code).trim();
  if (normalizeDiscountCode(code) === null) throw new CouponRefusedError("code_refused", "the coupon code is blank");

  const claimed = await claim(db, shop.id, distributorId, code, request.percentOff);
  if (!claimed) return { coupon: await waitForClaim(db, shop.id, distributorId), created: false };

  try {
    const { data } = await client.graphql<{ discountCodeBasicCreate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] } }>(
      shop.domain,
      DISCOUNT_CODE_BASIC_CREATE,
      { basicCodeDiscount: couponInput(claimed.code, claimed.percentOff, distributor.code, new Date()) },
    );
    assertNoUserErrors("discountCodeBasicCreate", shop.domain, data.discountCodeBasicCreate);
    const discountId = data.discountCodeBasicCreate.codeDiscountNode!.id;
    const coupon = await db.$transaction(async (tx) => {
      const row = await tx.affiliateCoupon.update({
        where: { id: claimed.id },
        data: { status: "active", shopifyDiscountId: discountId, lastError: null },
        select: couponSelect,
      });
      await mapDiscountCode(tx, shop.id, claimed.code, distributorId, request.actor);
      await tx.auditLog.create({
        data: {
          shopId: shop.id,
          actor: request.actor,
          action: "affiliate_coupon.created",
          entityType: "Distributor",
          entityId: distributorId,
          after: { code: claimed.code, percentOff: claimed.percentOff, shopifyDiscountId: discountId },
        },
      });
      return row as AffiliateCouponRow;
    });
    return { coupon, created: true };
  } catch (error) {
    if (error instanceof AdminApiUserErrors) {
      // Shopify refused the input (a code already taken by another discount): the row records why; a later
      // request (another code) may try again.
      await db.affiliateCoupon.update({ where: { id: claimed.id }, data: { status: "failed", lastError: error.message } });
      throw new CouponRefusedError("code_refused", error.message, error.userErrors);
    }
    // Anything else may or may not have reached Shopify: the claim stays "creating" and is taken over later.
    await db.affiliateCoupon.update({ where: { id: claimed.id }, data: { lastError: error instanceof Error ? error.message : String(error) } });
    throw error;
  }
}

/** Inserts the row in "creating", or takes over a failed or abandoned one; null when another request holds it. */
async function claim(db: Db, shopId: string, distributorId: string, code: string, percentOff: number) {
  const rows = await db.$queryRaw<{ id: string; code: string; percentOff: number }[]>`
    INSERT INTO "AffiliateCoupon" ("shopId", "distributorId", "code", "percentOff", "status", "updatedAt")
    VALUES (${shopId}::uuid, ${distributorId}::uuid, ${code}, ${percentOff}, 'creating', now())
    ON CONFLICT ("shopId", "distributorId") DO UPDATE
      SET "code" = EXCLUDED."code", "percentOff" = EXCLUDED."percentOff", "status" = 'creating', "lastError" = NULL, "updatedAt" = now()
      WHERE "AffiliateCoupon"."status" = 'failed'
         OR ("AffiliateCoupon"."status" = 'creating' AND "AffiliateCoupon"."updatedAt" < now() - make_interval(secs => ${CLAIM_STALE_MS / 1_000}))
    RETURNING "id", "code", "percentOff"`;
  return rows[0] ?? null;
}

async function waitForClaim(db: Db, shopId: string, distributorId: string): Promise<AffiliateCouponRow> {
  const until = Date.now() + WAIT_FOR_CLAIM_MS;
  for (;;) {
    const row = await findAffiliateCoupon(db, shopId, distributorId);
    if (row && row.status !== "creating") {
      if (row.status === "failed") throw new CouponRefusedError("code_refused", row.lastError ?? "Shopify refused the coupon");
      return row;
    }
    if (Date.now() > until) throw new CouponRefusedError("pending", "another request is creating this coupon; ask again shortly");
    await sleep(100);
  }
}

/**
 * Brings the Shopify discount in line with the affiliate: deleted when redacted (and its mapping removed, the code
 * may spell a name), disabled while not active, active again when they are. Idempotent; a job runs it after each
 * status change or redaction (admin-jobs.server.ts).
 */
export async function syncAffiliateCoupon(db: Db, client: ShopifyAdminClient, shop: CouponShop, distributorId: string, actor = "system") {
  const coupon = await findAffiliateCoupon(db, shop.id, distributorId);
  if (!coupon?.shopifyDiscountId || coupon.status === "deleted") return { action: "none" as const };
  const distributor = await db.distributor.findFirst({ where: { shopId: shop.id, id: distributorId }, select: { status: true, redactedAt: true } });
  const discountId = coupon.shopifyDiscountId;

  let action: "deleted" | "disabled" | "activated" | "none" = "none";
  if (!distributor || distributor.redactedAt) action = "deleted";
  else if (distributor.status !== "active" && coupon.status === "active") action = "disabled";
  else if (distributor.status === "active" && coupon.status === "disabled") action = "activated";
  if (action === "none") return { action };

  const mutation = action === "deleted" ? DISCOUNT_CODE_DELETE : action === "disabled" ? DISCOUNT_CODE_DEACTIVATE : DISCOUNT_CODE_ACTIVATE;
  const root = action === "deleted" ? "discountCodeDelete" : action === "disabled" ? "discountCodeDeactivate" : "discountCodeActivate";
  const { data } = await client.graphql<Record<string, { userErrors?: UserError[] }>>(shop.domain, mutation, { id: discountId });
  const payload = data[root];
  const missing = payload?.userErrors?.length && action === "deleted" && payload.userErrors.every((error) => /does not exist/i.test(error.message));
  // A discount the merchant already deleted in Shopify is as good as deleted.
  if (!missing) assertNoUserErrors(root, shop.domain, payload);

  await db.$transaction(async (tx) => {
    if (action === "deleted") {
      const normalized = normalizeDiscountCode(coupon.code);
      if (normalized) await tx.discountCodeMapping.deleteMany({ where: { shopId: shop.id, code: normalized, distributorId } });
      await tx.affiliateCoupon.update({ where: { id: coupon.id }, data: { status: "deleted", code: discountId } });
    } else {
      await tx.affiliateCoupon.update({ where: { id: coupon.id }, data: { status: action === "disabled" ? "disabled" : "active" } });
    }
    await tx.auditLog.create({
      data: {
        shopId: shop.id,
        actor,
        action: `affiliate_coupon.${action}`,
        entityType: "Distributor",
        entityId: distributorId,
        after: { shopifyDiscountId: discountId },
      },
    });
  });
  logger.info({ shop: shop.domain, distributorId, action }, "affiliate coupon synced with the affiliate's status");
  return { action };
}

/**
 * Every coupon of the shop whose affiliate changed since (redacted, no longer active, active again): what the
 * sync job runs after a status change or a redaction, whichever path made it (REST, admin, customers/redact).
 */
export async function syncAffiliateCoupons(db: Db, client: ShopifyAdminClient, shop: CouponShop, actor = "system") {
  const drifted = await db.$queryRaw<{ distributorId: string }[]>`
    SELECT c."distributorId"::text AS "distributorId"
    FROM "AffiliateCoupon" c JOIN "Distributor" d ON d."shopId" = c."shopId" AND d."id" = c."distributorId"
    WHERE c."shopId" = ${shop.id}::uuid AND c."shopifyDiscountId" IS NOT NULL AND c."status" IN ('active', 'disabled')
      AND (d."redactedAt" IS NOT NULL
        OR (d."status" <> 'active' AND c."status" = 'active')
        OR (d."status" = 'active' AND c."status" = 'disabled'))`;
  const actions: Record<string, string> = {};
  for (const { distributorId } of drifted) actions[distributorId] = (await syncAffiliateCoupon(db, client, shop, distributorId, actor)).action;
  return { synced: drifted.length, actions };
}
