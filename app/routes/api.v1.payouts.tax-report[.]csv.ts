import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { readQuery } from "~/services/api/handlers.server";
import { authenticateApiRequest } from "~/services/api/tokens.server";
import { errorResponse } from "~/services/http/error-map.server";
import { ProblemError, validationProblem } from "~/services/http/problem.server";
import { taxReportCsv, taxReportQuery } from "~/services/payouts/tax-report.server";

// GET /api/v1/payouts/tax-report.csv?year=YYYY (payouts:read) — totals per payee, method and currency paid in the
// year, payees over the 1099-NEC threshold by the merchant's own rails flagged, with their tax form status (text/csv).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  try {
    const query = readQuery(request);
    const caller = await authenticateApiRequest(db(), request, "payouts:read");
    const parsed = taxReportQuery.safeParse(Object.fromEntries(query));
    if (!parsed.success) throw new ProblemError(validationProblem(400, parsed.error.issues, "A query parameter is invalid."));
    const { year } = parsed.data;
    return new Response(await taxReportCsv(db(), caller.shopId, year), {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="tax-report-${year}.csv"` },
    });
  } catch (error) {
    return errorResponse(error, { method: "GET", path: new URL(request.url).pathname });
  }
};
