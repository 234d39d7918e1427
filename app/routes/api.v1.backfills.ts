import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiPost, methodNotAllowed } from "~/services/api/handlers.server";
import { requestBackfill } from "~/services/api/backfills.server";
import { shopifyAdminQueue } from "~/services/shopify/admin-jobs.server";

// POST /api/v1/backfills — body {"since"?, "mode"?}: queue a Shopify order backfill through the Admin API (orders:write).
export const action = ({ request }: ActionFunctionArgs) =>
  handleApiPost(request, { scope: "orders:write", path: "/api/v1/backfills" }, (caller, body) =>
    requestBackfill(db(), shopifyAdminQueue(), caller.shopId, body),
  );

export const loader = methodNotAllowed("POST");
