import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet } from "~/services/api/handlers.server";
import { listPeriods } from "~/services/api/periods.server";

// GET /api/v1/periods?status=&limit= — the shop's commission periods, newest first, with status and totals (periods:read).
export const loader = ({ request }: LoaderFunctionArgs) => handleApiGet(request, "periods:read", (caller, query) => listPeriods(db(), caller.shopId, query));
