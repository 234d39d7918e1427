import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { authenticateApiRequest } from "~/services/api/tokens.server";
import { ProblemError } from "~/services/http/problem.server";
import { distributorLedger } from "~/services/ledger/distributor-ledger.server";

// GET /api/v1/distributors/:id/ledger — balances and wallet entries (ledger:read). :id is our id or the referral code.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  try {
    const caller = await authenticateApiRequest(db(), request, "ledger:read");
    return Response.json(await distributorLedger(db(), caller.shopId, params.id ?? "", new URL(request.url).searchParams));
  } catch (error) {
    if (error instanceof ProblemError) return error.toResponse();
    throw error;
  }
};
