import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet, handleApiPost } from "~/services/api/handlers.server";
import { listSkuMappings, saveSkuMappingRequest } from "~/services/api/catalog.server";

// GET /api/v1/sku-mappings?platform=&class=&limit=&after= (catalog:read) — one keyset page of mappings.
export const loader = ({ request }: LoaderFunctionArgs) =>
  handleApiGet(request, "catalog:read", (caller, query) => listSkuMappings(db(), caller.shopId, query));

// POST /api/v1/sku-mappings (catalog:write, Idempotency-Key) — map a platform SKU or variant id to a class;
// mapping it again moves it to the new class.
export const action = ({ request }: ActionFunctionArgs) =>
  handleApiPost(request, { scope: "catalog:write", path: "/api/v1/sku-mappings", allow: "GET, POST" }, (caller, body) =>
    saveSkuMappingRequest(db(), caller.shopId, caller.tokenId, body),
  );
