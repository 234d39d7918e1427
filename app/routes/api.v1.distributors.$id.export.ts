import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { authenticateApiRequest } from "~/services/api/tokens.server";
import { answer, exportRequest } from "~/services/genealogy/rest.server";

// GET /api/v1/distributors/:id/export (distributors:read) — the latest data-subject export (stored by the
// customers/data_request webhook, or built now when there is none).
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  answer(async () => {
    const caller = await authenticateApiRequest(db(), request, "distributors:read");
    return exportRequest(db(), caller.shopId, caller.tokenId, params.id ?? "");
  });
