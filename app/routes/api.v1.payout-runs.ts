import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet, handleApiPost } from "~/services/api/handlers.server";
import { createRunRequest, listPayoutRuns, payoutProblem } from "~/services/payouts/api.server";

// GET /api/v1/payout-runs?status=&limit= (payouts:read) — runs, newest first, with status, totals and progress.
export const loader = ({ request }: LoaderFunctionArgs) =>
  handleApiGet(request, "payouts:read", (caller, query) => listPayoutRuns(db(), caller.shopId, query), payoutProblem);

// POST /api/v1/payout-runs {"currency"?} (payouts:write, Idempotency-Key) — a draft run from the preview as of now.
export const action = ({ request }: ActionFunctionArgs) =>
  handleApiPost(request, { scope: "payouts:write", path: "/api/v1/payout-runs", allow: "GET, POST" }, (caller, body) =>
    createRunRequest(db(), caller.shopId, body, `api:${caller.tokenId}`),
  );
