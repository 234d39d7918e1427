import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { authenticateApiRequest } from "~/services/api/tokens.server";
import { ProblemError } from "~/services/http/problem.server";
import { periodDetail } from "~/services/periods/period-api.server";

// GET /api/v1/periods/:id — one period: what each close posted, its close/re-open trail, the latest close's lines (periods:read).
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  try {
    const caller = await authenticateApiRequest(db(), request, "periods:read");
    return Response.json(await periodDetail(db(), caller.shopId, params.id ?? "", new URL(request.url).searchParams));
  } catch (error) {
    if (error instanceof ProblemError) return error.toResponse();
    throw error;
  }
};
