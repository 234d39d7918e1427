import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { authenticateApiRequest } from "~/services/api/tokens.server";
import { ProblemError } from "~/services/http/problem.server";
import { listPeriods } from "~/services/periods/period-api.server";

// GET /api/v1/periods?status=&limit= — the shop's commission periods, newest first, with status and totals (periods:read).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  try {
    const caller = await authenticateApiRequest(db(), request, "periods:read");
    return Response.json(await listPeriods(db(), caller.shopId, new URL(request.url).searchParams));
  } catch (error) {
    if (error instanceof ProblemError) return error.toResponse();
    throw error;
  }
};
