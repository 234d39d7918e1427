import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiPost, methodNotAllowed } from "~/services/api/handlers.server";
import { moveRequest } from "~/services/api/distributors.server";

// POST /api/v1/distributors/:id/moves (distributors:write, Idempotency-Key) — a sponsor or placement move: {"tree":"sponsor","new_sponsor","effective_from","reason"} or {"tree":"placement","new_parent","position","effective_from","reason"}; 409 for a cycle or a taken slot, 422 for a bad slot.
export const action = ({ request, params }: ActionFunctionArgs) => {
  const id = params.id ?? "";
  return handleApiPost(request, { scope: "distributors:write", path: `/api/v1/distributors/${id}/moves` }, (caller, body) =>
    moveRequest(db(), caller.shopId, caller.tokenId, id, body),
  );
};

export const loader = methodNotAllowed("POST");
