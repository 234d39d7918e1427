import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet, handleApiPost } from "~/services/api/handlers.server";
import { createDistributorRequest, listDistributorsRequest, refusalProblem } from "~/services/api/distributors.server";

// GET /api/v1/distributors?search=&limit=&after= (distributors:read) — list and search.
export const loader = ({ request }: LoaderFunctionArgs) =>
  handleApiGet(request, "distributors:read", (caller, query) => listDistributorsRequest(db(), caller.shopId, query), refusalProblem);

// POST /api/v1/distributors (distributors:write, Idempotency-Key) — enrol one; the same external_id or e-mail
// again answers 200 with the person already there instead of creating a second one.
export const action = ({ request }: ActionFunctionArgs) =>
  handleApiPost(request, { scope: "distributors:write", path: "/api/v1/distributors", allow: "GET, POST" }, (caller, body) =>
    createDistributorRequest(db(), caller.shopId, caller.tokenId, body),
  );
