import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { authenticateApiRequest } from "~/services/api/tokens.server";
import { answer, distributorRequest } from "~/services/genealogy/rest.server";

// GET /api/v1/distributors/:id (distributors:read) — :id is our id or the referral code, within the token's shop.
// A resource route: its children (…/ledger, …/upline, …) are answered by their own loaders alone.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  answer(async () => {
    const caller = await authenticateApiRequest(db(), request, "distributors:read");
    return distributorRequest(db(), caller.shopId, params.id ?? "");
  });
