import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet } from "~/services/api/handlers.server";
import { distributorLedger } from "~/services/api/distributor-ledger.server";

// GET /api/v1/distributors/:id/ledger — balances and wallet entries (ledger:read). :id is our id or the referral code.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  handleApiGet(request, "ledger:read", (caller, query) => distributorLedger(db(), caller.shopId, params.id ?? "", query));
