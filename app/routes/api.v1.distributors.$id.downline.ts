import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { authenticateApiRequest } from "~/services/api/tokens.server";
import { answer, downlineRequest } from "~/services/genealogy/rest.server";

// GET /api/v1/distributors/:id/downline?depth=3&cursor=&at= (distributors:read) — levels with counts and volumes,
// one page of members; pass next_cursor back as cursor for the next page.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  answer(async () => {
    const caller = await authenticateApiRequest(db(), request, "distributors:read");
    return downlineRequest(db(), caller.shopId, params.id ?? "", new URL(request.url).searchParams);
  });
