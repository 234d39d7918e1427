import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet, handleApiPost } from "~/services/api/handlers.server";
import { getPayoutSettings, payoutSettingsRequest } from "~/services/payouts/api.server";

// GET /api/v1/payout-settings (payouts:read) — minimum payout (shop and per method), schedule, auto-approve.
export const loader = ({ request }: LoaderFunctionArgs) => handleApiGet(request, "payouts:read", (caller) => getPayoutSettings(db(), caller.shopId));

// POST /api/v1/payout-settings (payouts:write, Idempotency-Key) — replaces them.
export const action = ({ request }: ActionFunctionArgs) =>
  handleApiPost(request, { scope: "payouts:write", path: "/api/v1/payout-settings", allow: "GET, POST" }, (caller, body) =>
    payoutSettingsRequest(db(), caller.shopId, body, `api:${caller.tokenId}`),
  );
