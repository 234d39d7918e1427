import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiPost, methodNotAllowed } from "~/services/api/handlers.server";
import { confirmationRequest } from "~/services/payouts/api.server";

// POST /api/v1/payout-runs/:id/confirmations (payouts:write, Idempotency-Key) — {"csv"}: the bank's confirmation of the run's bank file; paid rows settle, failed rows reverse.
export const action = ({ request, params }: ActionFunctionArgs) => {
  const id = params.id ?? "";
  return handleApiPost(request, { scope: "payouts:write", path: `/api/v1/payout-runs/${id}/confirmations` }, (caller, body) =>
    confirmationRequest(db(), caller.shopId, id, body),
  );
};

export const loader = methodNotAllowed("POST");
