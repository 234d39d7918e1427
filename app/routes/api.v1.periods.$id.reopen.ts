import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiPost, methodNotAllowed } from "~/services/api/handlers.server";
import { reopenPeriodRequest } from "~/services/api/periods.server";

// POST /api/v1/periods/:id/reopen — body {"reason"} (required); Idempotency-Key required (periods:write).
export const action = ({ request, params }: ActionFunctionArgs) => {
  const id = params.id ?? "";
  return handleApiPost(request, { scope: "periods:write", path: `/api/v1/periods/${id}/reopen` }, (caller, body) =>
    reopenPeriodRequest(db(), caller.shopId, id, body, `api:${caller.tokenId}`),
  );
};

export const loader = methodNotAllowed("POST");
