import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet, handleApiPost } from "~/services/api/handlers.server";
import { listCommissionClasses, saveCommissionClassRequest } from "~/services/api/catalog.server";

// GET /api/v1/commission-classes (catalog:read) — the classes plans pay on, with how many SKUs map to each.
export const loader = ({ request }: LoaderFunctionArgs) => handleApiGet(request, "catalog:read", (caller) => listCommissionClasses(db(), caller.shopId));

// POST /api/v1/commission-classes (catalog:write, Idempotency-Key) — create a class (201), or rename / re-volume
// the one with that key (200).
export const action = ({ request }: ActionFunctionArgs) =>
  handleApiPost(request, { scope: "catalog:write", path: "/api/v1/commission-classes", allow: "GET, POST" }, (caller, body) =>
    saveCommissionClassRequest(db(), caller.shopId, caller.tokenId, body),
  );
