import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiPost, methodNotAllowed } from "~/services/api/handlers.server";
import { statusRequest } from "~/services/api/distributors.server";

// POST /api/v1/distributors/:id/status (distributors:write, Idempotency-Key) — a status change: {"status","effective_from"?,"reason"}.
export const action = ({ request, params }: ActionFunctionArgs) => {
  const id = params.id ?? "";
  return handleApiPost(request, { scope: "distributors:write", path: `/api/v1/distributors/${id}/status` }, (caller, body) =>
    statusRequest(db(), caller.shopId, caller.tokenId, id, body),
  );
};

export const loader = methodNotAllowed("POST");
