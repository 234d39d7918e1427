import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { authenticateApiRequest } from "~/services/api/tokens.server";
import { reconciliationForDate } from "~/services/commissions/reconciliation-report.server";
import { ProblemError } from "~/services/http/problem.server";

// GET /api/v1/reconciliation?date=YYYY-MM-DD — expected commissions vs ledger for the orders of that UTC day (ledger:read).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  try {
    const caller = await authenticateApiRequest(db(), request, "ledger:read");
    return Response.json(await reconciliationForDate(db(), caller.shopId, new URL(request.url).searchParams));
  } catch (error) {
    if (error instanceof ProblemError) return error.toResponse();
    throw error;
  }
};
