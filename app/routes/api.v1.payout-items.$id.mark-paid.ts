import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiPost, methodNotAllowed } from "~/services/api/handlers.server";
import { markPaidRequest } from "~/services/payouts/api.server";

// POST /api/v1/payout-items/:id/mark-paid {"outcome"?, "reference"?, "error"?} (payouts:write, Idempotency-Key) — a bank item paid (or failed) outside the app.
export const action = ({ request, params }: ActionFunctionArgs) => {
  const id = params.id ?? "";
  return handleApiPost(request, { scope: "payouts:write", path: `/api/v1/payout-items/${id}/mark-paid` }, (caller, body) =>
    markPaidRequest(db(), caller.shopId, id, body),
  );
};

export const loader = methodNotAllowed("POST");
