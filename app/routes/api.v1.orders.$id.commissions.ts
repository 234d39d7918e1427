import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet } from "~/services/api/handlers.server";
import { orderCommissions } from "~/services/api/order-commissions.server";

// GET /api/v1/orders/:id/commissions — each commission line with the snapshot that explains it (orders:read).
// :id is our order id or the platform's order id (?platform= when two platforms share one).
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  handleApiGet(request, "orders:read", (caller, query) => orderCommissions(db(), caller.shopId, params.id ?? "", query));
