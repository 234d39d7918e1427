import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet, handleApiPost } from "~/services/api/handlers.server";
import { listPlanVersions, publishPlanRequest } from "~/services/api/plans.server";

// GET /api/v1/plans (plans:read) — every version, newest first, with which one is in force now.
export const loader = ({ request }: LoaderFunctionArgs) => handleApiGet(request, "plans:read", (caller) => listPlanVersions(db(), caller.shopId));

// POST /api/v1/plans (plans:write, Idempotency-Key) — {"rules", "effective_from"?}: publish the next version,
// validated like the admin Plans page; a bad field answers 422 naming it (rules.components[0]…).
export const action = ({ request }: ActionFunctionArgs) =>
  handleApiPost(request, { scope: "plans:write", path: "/api/v1/plans", allow: "GET, POST" }, (caller, body) =>
    publishPlanRequest(db(), caller.shopId, caller.tokenId, body),
  );
