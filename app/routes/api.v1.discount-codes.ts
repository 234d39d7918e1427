import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet, handleApiPost } from "~/services/api/handlers.server";
import { listDiscountCodes, saveDiscountCodeRequest } from "~/services/api/discount-codes.server";

// GET /api/v1/discount-codes?limit=&after= (distributors:read) — coupons that stand for a distributor.
export const loader = ({ request }: LoaderFunctionArgs) =>
  handleApiGet(request, "distributors:read", (caller, query) => listDiscountCodes(db(), caller.shopId, query));

// POST /api/v1/discount-codes (distributors:write, Idempotency-Key) — {"code", "distributor" (id or referral code)}.
export const action = ({ request }: ActionFunctionArgs) =>
  handleApiPost(request, { scope: "distributors:write", path: "/api/v1/discount-codes", allow: "GET, POST" }, (caller, body) =>
    saveDiscountCodeRequest(db(), caller.shopId, caller.tokenId, body),
  );
