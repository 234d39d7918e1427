import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet, handleApiPost } from "~/services/api/handlers.server";
import { createConnectionRequest, listConnections } from "~/services/api/connections.server";

// GET /api/v1/connections (connections:read) — WooCommerce and Magento stores, with their ingest URL (never the secret).
export const loader = ({ request }: LoaderFunctionArgs) =>
  handleApiGet(request, "connections:read", (caller) => listConnections(db(), caller.shopId, request.url));

// POST /api/v1/connections (connections:write, Idempotency-Key) — connect a store: answers the ingest URL and
// the webhook secret, shown this once.
export const action = ({ request }: ActionFunctionArgs) =>
  handleApiPost(request, { scope: "connections:write", path: "/api/v1/connections", allow: "GET, POST" }, (caller, body) =>
    createConnectionRequest(db(), caller.shopId, caller.tokenId, body, request.url),
  );
