import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { authenticateApiRequest } from "~/services/api/tokens.server";
import { answer, uplineRequest } from "~/services/genealogy/rest.server";

// GET /api/v1/distributors/:id/upline?at=<ISO instant>&levels=10 (distributors:read) — sponsors as of `at`.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  answer(async () => {
    const caller = await authenticateApiRequest(db(), request, "distributors:read");
    return uplineRequest(db(), caller.shopId, params.id ?? "", new URL(request.url).searchParams);
  });
