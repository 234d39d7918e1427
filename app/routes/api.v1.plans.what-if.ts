import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiPost, methodNotAllowed } from "~/services/api/handlers.server";
import { planWhatIf } from "~/services/periods/what-if.server";

// POST /api/v1/plans/what-if — body {"plan", "order_ids"?, "orders"?, "period_start"?}: what a draft plan would pay
// (plans:read). It writes nothing, not even an idempotency record: like a GET with a body, it is safe to repeat,
// so it is the one POST that needs no Idempotency-Key.
export const action = ({ request }: ActionFunctionArgs) =>
  handleApiPost(request, { scope: "plans:read", path: "/api/v1/plans/what-if", idempotent: false }, (caller, body) => planWhatIf(db(), caller.shopId, body));

export const loader = methodNotAllowed("POST");
