import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet } from "~/services/api/handlers.server";
import { downlineRequest, refusalProblem } from "~/services/api/distributors.server";

// GET /api/v1/distributors/:id/downline?depth=3&cursor=&at= (distributors:read) — levels with counts and volumes,
// one page of members; pass next_cursor back as cursor for the next page.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  handleApiGet(request, "distributors:read", (caller, query) => downlineRequest(db(), caller.shopId, params.id ?? "", query), refusalProblem);
