import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiPost, methodNotAllowed } from "~/services/api/handlers.server";
import { approveRunRequest } from "~/services/payouts/api.server";

// POST /api/v1/payout-runs/:id/approve (payouts:write, Idempotency-Key) — approve a draft run: one ledger transaction per item moves it to payouts clearing; the worker then pays it.
export const action = ({ request, params }: ActionFunctionArgs) => {
  const id = params.id ?? "";
  return handleApiPost(request, { scope: "payouts:write", path: `/api/v1/payout-runs/${id}/approve` }, (caller, body) =>
    approveRunRequest(db(), caller.shopId, id, body, `api:${caller.tokenId}`),
  );
};

export const loader = methodNotAllowed("POST");
