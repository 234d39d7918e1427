import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet } from "~/services/api/handlers.server";
import { exportRequest, refusalProblem } from "~/services/api/distributors.server";

// GET /api/v1/distributors/:id/export (distributors:read) — the latest data-subject export (stored by the
// customers/data_request webhook, or built now when there is none).
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  handleApiGet(request, "distributors:read", (caller) => exportRequest(db(), caller.shopId, caller.tokenId, params.id ?? ""), refusalProblem);
