import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet } from "~/services/api/handlers.server";
import { catalogVariants } from "~/services/api/catalog-variants.server";

// GET /api/v1/catalog?search=&limit= — the shop's Shopify variants for the SKU → class picker (catalog:read).
export const loader = ({ request }: LoaderFunctionArgs) =>
  handleApiGet(request, "catalog:read", (caller, query) => catalogVariants(db(), caller.shopId, query));
