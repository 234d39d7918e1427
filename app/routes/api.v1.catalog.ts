import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet } from "~/services/api/handlers.server";
import { catalogVariants } from "~/services/api/catalog.server";

// GET /api/v1/catalog?search=&limit= — the shop's Shopify variants for the SKU → class picker (plans:read).
export const loader = ({ request }: LoaderFunctionArgs) => handleApiGet(request, "plans:read", (caller, query) => catalogVariants(db(), caller.shopId, query));
