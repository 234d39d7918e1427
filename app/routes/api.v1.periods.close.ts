import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiPost, methodNotAllowed } from "~/services/api/handlers.server";
import { closePeriodRequest } from "~/services/api/periods.server";

// POST /api/v1/periods/close — body {"period_id"} or {"period_start"}; Idempotency-Key required (periods:write).
export const action = ({ request }: ActionFunctionArgs) =>
  handleApiPost(request, { scope: "periods:write", path: "/api/v1/periods/close" }, (caller, body) =>
    closePeriodRequest(db(), caller.shopId, body, `api:${caller.tokenId}`),
  );

export const loader = methodNotAllowed("POST");
