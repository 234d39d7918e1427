/**
 * /api/v1/distributors/:id/coupon: the affiliate's personal coupon in Shopify (affiliate-coupon.server.ts). POST
 * creates it once (201; 200 with the same coupon afterwards, however many ask at once), GET reads it.
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import { findDistributorByIdOrCode } from "~/services/genealogy/lookup.server";
import { ProblemError, validationProblem } from "~/services/http/problem.server";
import { AdminApiAuthError, AdminApiError, AdminApiUnavailableError, type ShopifyAdminClient } from "~/services/shopify/admin-client.server";
import { CouponRefusedError, findAffiliateCoupon, requestAffiliateCoupon, type AffiliateCouponRow } from "~/services/shopify/affiliate-coupon.server";
import { idJson, instantJson } from "./response-atoms";
import { answered, type StoredResponse } from "./idempotency.server";
import { asStored, notFoundProblem, parseBody } from "./stored.server";

export const couponBody = z.strictObject({
  /** The code shoppers type; default the affiliate's referral code. Shopify refuses one another discount uses. */
  code: z.string().trim().min(1).max(255).optional(),
  /** Whole percent off the order's items. */
  percent_off: z.number().int().min(1).max(100).default(10),
});

export const couponResponse = z.strictObject({
  coupon: z.strictObject({
    distributor_id: idJson,
    code: z.string(),
    percent_off: z.number().int(),
    /** creating | active | disabled (the affiliate is not active) | deleted (redacted) | failed */
    status: z.enum(["creating", "active", "disabled", "deleted", "failed"]),
    shopify_discount_id: z.string().nullable(),
    last_error: z.string().nullable(),
    created_at: instantJson,
  }),
});

function couponJson(row: AffiliateCouponRow): z.input<typeof couponResponse> {
  return {
    coupon: {
      distributor_id: row.distributorId,
      code: row.code,
      percent_off: row.percentOff,
      status: row.status,
      shopify_discount_id: row.shopifyDiscountId,
      last_error: row.lastError,
      created_at: row.createdAt.toISOString(),
    },
  };
}

function couponProblem(error: unknown): ProblemError | null {
  if (error instanceof CouponRefusedError) {
    if (error.code === "unknown_distributor") return notFoundProblem(error.message);
    if (error.code === "code_refused")
      return new ProblemError(validationProblem(422, [{ path: ["code"], message: error.message }], "Shopify refused the coupon."));
    if (error.code === "pending") return new ProblemError({ status: 409, type: "coupon-pending", title: "Conflict", detail: error.message });
    return new ProblemError({ status: 409, type: "coupon-not-eligible", title: "Refused", detail: error.message });
  }
  if (error instanceof AdminApiAuthError)
    return new ProblemError({ status: 502, type: "shopify-auth", title: "Shopify refused the app's token", detail: error.message });
  if (error instanceof AdminApiUnavailableError || error instanceof AdminApiError)
    return new ProblemError({ status: 503, type: "shopify-unavailable", title: "Shopify did not answer", detail: `${error.message}; ask again` });
  return null;
}

export function requestCouponRequest(
  db: Db,
  client: ShopifyAdminClient,
  shopId: string,
  tokenId: string,
  idOrCode: string,
  body: unknown,
): Promise<StoredResponse> {
  return asStored(async () => {
    try {
      const input = parseBody(couponBody, body, "The coupon request has invalid fields.");
      const node = await findDistributorByIdOrCode(db, shopId, idOrCode);
      if (!node) throw notFoundProblem(`no distributor ${idOrCode} in this shop`);
      const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { id: true, domain: true } });
      const { coupon, created } = await requestAffiliateCoupon(db, client, shop, node.id, {
        code: input.code,
        percentOff: input.percent_off,
        actor: `api:${tokenId}`,
      });
      return answered(couponResponse, created ? 201 : 200, couponJson(coupon));
    } catch (error) {
      throw couponProblem(error) ?? error;
    }
  });
}

export async function readCoupon(db: Db, shopId: string, idOrCode: string) {
  const node = await findDistributorByIdOrCode(db, shopId, idOrCode);
  if (!node) throw notFoundProblem(`no distributor ${idOrCode} in this shop`);
  const coupon = await findAffiliateCoupon(db, shopId, node.id);
  if (!coupon) throw notFoundProblem(`distributor ${idOrCode} has no coupon yet: POST to create it`);
  return couponJson(coupon);
}
