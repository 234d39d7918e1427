import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { handleApiGet } from "~/services/api/handlers.server";
import { reconciliationForDate } from "~/services/commissions/reconciliation-report.server";

// GET /api/v1/reconciliation?date=YYYY-MM-DD — expected commissions vs ledger for the orders of that UTC day (ledger:read).
export const loader = ({ request }: LoaderFunctionArgs) =>
  handleApiGet(request, "ledger:read", (caller, query) => reconciliationForDate(db(), caller.shopId, query));
