import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet } from "~/services/api/handlers.server";
import { periodDetail } from "~/services/api/periods.server";

// GET /api/v1/periods/:id — one period: what each close posted, its close/re-open trail, the latest close's lines (periods:read).
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  handleApiGet(request, "periods:read", (caller, query) => periodDetail(db(), caller.shopId, params.id ?? "", query));
