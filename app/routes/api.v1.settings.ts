import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet, handleApiPost } from "~/services/api/handlers.server";
import { getShopSettings, putShopSettingsRequest } from "~/services/api/settings.server";

// GET /api/v1/settings (settings:read) — referral link, commission base and hold window (in force now, and every
// dated change), payout threshold and schedule.
export const loader = ({ request }: LoaderFunctionArgs) => handleApiGet(request, "settings:read", (caller) => getShopSettings(db(), caller.shopId));

// PUT /api/v1/settings (settings:write, Idempotency-Key) — changes the keys it names; commission changes apply
// from commission.effective_from (default now, never in the past); each change is audited.
export const action = ({ request }: ActionFunctionArgs) =>
  handleApiPost(request, { method: "PUT", scope: "settings:write", path: "/api/v1/settings", allow: "GET, PUT" }, (caller, body) =>
    putShopSettingsRequest(db(), caller.shopId, caller.tokenId, body),
  );
