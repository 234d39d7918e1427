import type { ActionFunctionArgs } from "@remix-run/node";
import { db, pgPool } from "~/db.server";
import { config } from "~/config.server";
import { queues } from "~/queues.server";
import { handleApiPost, methodNotAllowed } from "~/services/api/handlers.server";
import { createApiOrder } from "~/services/api/orders.server";

// POST /api/v1/orders — the seed API. Bearer token with orders:write; Idempotency-Key required.
export const action = ({ request }: ActionFunctionArgs) =>
  handleApiPost(request, { scope: "orders:write", path: "/api/v1/orders" }, (caller, body) =>
    createApiOrder({ db: db(), pool: pgPool(), queues: queues(), jobAttempts: config().JOB_ATTEMPTS }, caller.shopId, body),
  );

export const loader = methodNotAllowed("POST");
