import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet } from "~/services/api/handlers.server";
import { refusalProblem, uplineRequest } from "~/services/api/distributors.server";

// GET /api/v1/distributors/:id/upline?at=<ISO instant>&levels=10 (distributors:read) — sponsors as of `at`.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  handleApiGet(request, "distributors:read", (caller, query) => uplineRequest(db(), caller.shopId, params.id ?? "", query), refusalProblem);
