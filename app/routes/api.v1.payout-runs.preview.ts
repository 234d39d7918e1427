import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet } from "~/services/api/handlers.server";
import { payoutProblem, previewJson } from "~/services/payouts/api.server";

// GET /api/v1/payout-runs/preview?currency= (payouts:read) — who would be paid what now, and who is held back and why.
export const loader = ({ request }: LoaderFunctionArgs) =>
  handleApiGet(request, "payouts:read", (caller, query) => previewJson(db(), caller.shopId, query), payoutProblem);
