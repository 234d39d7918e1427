import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet } from "~/services/api/handlers.server";
import { payoutProblem, runItems } from "~/services/payouts/api.server";

// GET /api/v1/payout-runs/:id/items?status=&limit=&after= (payouts:read) — the run's items with status, provider reference, attempts.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  handleApiGet(request, "payouts:read", (caller, query) => runItems(db(), caller.shopId, params.id, query), payoutProblem);
