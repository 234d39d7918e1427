import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiPost, methodNotAllowed } from "~/services/api/handlers.server";
import { taxFormRequest } from "~/services/payouts/api.server";

// POST /api/v1/distributors/:id/tax-form {"status": "collected" | "not_collected"} (payouts:write, Idempotency-Key) — the payee's W-9 status.
export const action = ({ request, params }: ActionFunctionArgs) => {
  const id = params.id ?? "";
  return handleApiPost(request, { scope: "payouts:write", path: `/api/v1/distributors/${id}/tax-form` }, (caller, body) =>
    taxFormRequest(db(), caller.shopId, id, body, `api:${caller.tokenId}`),
  );
};

export const loader = methodNotAllowed("POST");
