import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet, handleApiPost } from "~/services/api/handlers.server";
import { readCoupon, requestCouponRequest } from "~/services/api/affiliate-coupons.server";
import { adminClient } from "~/services/shopify/admin-client.server";

// GET /api/v1/distributors/:id/coupon (distributors:read) — the affiliate's personal coupon.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  handleApiGet(request, "distributors:read", (caller) => readCoupon(db(), caller.shopId, params.id ?? ""));

// POST /api/v1/distributors/:id/coupon (distributors:write, Idempotency-Key optional) — {"code"?, "percent_off"?}:
// creates it in Shopify once.
export const action = ({ request, params }: ActionFunctionArgs) => {
  const id = params.id ?? "";
  return handleApiPost(
    request,
    { scope: "distributors:write", path: `/api/v1/distributors/${id}/coupon`, allow: "GET, POST", idempotent: "optional" },
    (caller, body) => requestCouponRequest(db(), adminClient(), caller.shopId, caller.tokenId, id, body),
  );
};
