import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiPost, methodNotAllowed } from "~/services/api/handlers.server";
import { deleteSkuMappingRequest } from "~/services/api/catalog.server";

// DELETE /api/v1/sku-mappings/:id (catalog:write; Idempotency-Key optional) — its lines fall back to the
// default class from then on; an unknown id is a 404.
export const action = ({ request, params }: ActionFunctionArgs) =>
  handleApiPost(
    request,
    { method: "DELETE", scope: "catalog:write", path: `/api/v1/sku-mappings/${params.id ?? ""}`, allow: "DELETE", idempotent: "optional" },
    (caller) => deleteSkuMappingRequest(db(), caller.shopId, caller.tokenId, params.id),
  );

export const loader = methodNotAllowed("DELETE");
