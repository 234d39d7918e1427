import type { ActionFunctionArgs } from "@remix-run/node";
import { db, pgPool } from "~/db.server";
import { config } from "~/config.server";
import { queues } from "~/queues.server";
import { parseJsonLossless } from "~/domain/platforms/json";
import { canonicalJson } from "~/domain/canonical-json";
import { authenticateApiRequest } from "~/services/api/tokens.server";
import { withIdempotency } from "~/services/api/idempotency.server";
import { createApiOrder } from "~/services/api/orders.server";
import { problem, ProblemError } from "~/services/http/problem.server";
import { readBodyWithLimit } from "~/services/http/read-body.server";

// POST /api/v1/orders — the seed API. Bearer token with orders:write; Idempotency-Key required.
export const action = async ({ request }: ActionFunctionArgs) => {
  try {
    if (request.method !== "POST") {
      return problem({ status: 405, type: "method-not-allowed", title: "Method not allowed" }, { Allow: "POST" });
    }
    const caller = await authenticateApiRequest(db(), request, "orders:write");
    const raw = (await readBodyWithLimit(request, config().INGEST_MAX_BODY_BYTES)).toString("utf8");
    let body: unknown;
    try {
      body = parseJsonLossless(raw);
    } catch {
      return problem({ status: 400, type: "malformed-body", title: "Malformed body", detail: "The body is not valid JSON." });
    }
    return await withIdempotency(
      db(),
      { shopId: caller.shopId, key: request.headers.get("idempotency-key"), method: "POST", path: "/api/v1/orders", fingerprint: canonicalJson(body) },
      () => createApiOrder({ db: db(), pool: pgPool(), queues: queues(), jobAttempts: config().JOB_ATTEMPTS }, caller.shopId, body),
    );
  } catch (error) {
    if (error instanceof ProblemError) return error.toResponse();
    throw error;
  }
};

export const loader = () => problem({ status: 405, type: "method-not-allowed", title: "Method not allowed" }, { Allow: "POST" });
