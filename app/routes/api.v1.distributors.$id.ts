import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet } from "~/services/api/handlers.server";
import { distributorRequest, refusalProblem } from "~/services/api/distributors.server";

// GET /api/v1/distributors/:id (distributors:read) — :id is our id or the referral code, within the token's shop.
// A resource route: its children (…/ledger, …/upline, …) are answered by their own loaders alone.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  handleApiGet(request, "distributors:read", (caller) => distributorRequest(db(), caller.shopId, params.id ?? ""), refusalProblem);
