import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { authenticateApiRequest } from "~/services/api/tokens.server";
import { orderCommissions } from "~/services/commissions/order-commissions.server";
import { ProblemError } from "~/services/http/problem.server";

// GET /api/v1/orders/:id/commissions — each commission line with the snapshot that explains it (orders:read).
// :id is our order id or the platform's order id (?platform= when two platforms share one).
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  try {
    const caller = await authenticateApiRequest(db(), request, "orders:read");
    return Response.json(await orderCommissions(db(), caller.shopId, params.id ?? "", new URL(request.url).searchParams));
  } catch (error) {
    if (error instanceof ProblemError) return error.toResponse();
    throw error;
  }
};
