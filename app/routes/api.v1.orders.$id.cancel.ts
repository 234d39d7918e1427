import type { ActionFunctionArgs } from "@remix-run/node";
import { db, pgPool } from "~/db.server";
import { config } from "~/config.server";
import { queues } from "~/queues.server";
import { handleApiPost, methodNotAllowed } from "~/services/api/handlers.server";
import { cancelApiOrder } from "~/services/api/order-refunds.server";

// POST /api/v1/orders/:id/cancel — cancel an order taken by POST /api/v1/orders: every commission still standing
// is reversed (orders:write; Idempotency-Key).
export const action = ({ request, params }: ActionFunctionArgs) =>
  handleApiPost(request, { scope: "orders:write", path: `/api/v1/orders/${params.id ?? ""}/cancel` }, (caller, body) =>
    cancelApiOrder({ db: db(), pool: pgPool(), queues: queues(), jobAttempts: config().JOB_ATTEMPTS }, caller.shopId, params.id ?? "", body),
  );

export const loader = methodNotAllowed("POST");
