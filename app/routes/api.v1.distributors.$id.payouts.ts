import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet } from "~/services/api/handlers.server";
import { distributorPayouts, payoutProblem } from "~/services/payouts/api.server";

// GET /api/v1/distributors/:id/payouts?limit= (payouts:read) — the distributor's payout method (without its details) and payout items, newest first.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  handleApiGet(request, "payouts:read", (caller, query) => distributorPayouts(db(), caller.shopId, params.id, query), payoutProblem);
