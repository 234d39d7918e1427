import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiPost, methodNotAllowed } from "~/services/api/handlers.server";
import { payoutMethodRequest } from "~/services/payouts/api.server";

// POST /api/v1/distributors/:id/payout-method {"method","details","on_hold"?,"tax_form_status"?} (payouts:write, Idempotency-Key) — how the distributor is paid.
export const action = ({ request, params }: ActionFunctionArgs) => {
  const id = params.id ?? "";
  return handleApiPost(request, { scope: "payouts:write", path: `/api/v1/distributors/${id}/payout-method` }, (caller, body) =>
    payoutMethodRequest(db(), caller.shopId, id, body, `api:${caller.tokenId}`),
  );
};

export const loader = methodNotAllowed("POST");
