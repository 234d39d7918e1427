import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiPost, methodNotAllowed } from "~/services/api/handlers.server";
import { cancelRunRequest } from "~/services/payouts/api.server";

// POST /api/v1/payout-runs/:id/cancel (payouts:write, Idempotency-Key) — cancel a draft or approved run; approved items are reversed to the available wallets.
export const action = ({ request, params }: ActionFunctionArgs) => {
  const id = params.id ?? "";
  return handleApiPost(request, { scope: "payouts:write", path: `/api/v1/payout-runs/${id}/cancel` }, (caller, body) =>
    cancelRunRequest(db(), caller.shopId, id, body, `api:${caller.tokenId}`),
  );
};

export const loader = methodNotAllowed("POST");
