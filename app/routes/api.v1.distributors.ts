import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { authenticateApiRequest } from "~/services/api/tokens.server";
import { handleApiPost } from "~/services/api/api-post.server";
import { answer, createDistributorRequest, listDistributorsRequest } from "~/services/genealogy/rest.server";

// GET /api/v1/distributors?search=&limit=&after= (distributors:read) — list and search.
export const loader = ({ request }: LoaderFunctionArgs) =>
  answer(async () => {
    const caller = await authenticateApiRequest(db(), request, "distributors:read");
    return listDistributorsRequest(db(), caller.shopId, new URL(request.url).searchParams);
  });

// POST /api/v1/distributors (distributors:write, Idempotency-Key) — enrol one; the same external_id or e-mail
// again answers 200 with the person already there instead of creating a second one.
export const action = ({ request }: ActionFunctionArgs) =>
  handleApiPost(request, { scope: "distributors:write", path: "/api/v1/distributors", allow: "GET, POST" }, (caller, body) =>
    createDistributorRequest(db(), caller.shopId, caller.tokenId, body),
  );
