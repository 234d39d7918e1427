import type { ActionFunctionArgs } from "@remix-run/node";
import { config } from "~/config.server";
import { db } from "~/db.server";
import { canonicalJson } from "~/domain/canonical-json";
import { parseJsonLossless } from "~/domain/platforms/json";
import { withIdempotency } from "~/services/api/idempotency.server";
import { authenticateApiRequest } from "~/services/api/tokens.server";
import { moveRequest } from "~/services/genealogy/rest.server";
import { problem, ProblemError } from "~/services/http/problem.server";
import { readBodyWithLimit } from "~/services/http/read-body.server";

// POST /api/v1/distributors/:id/moves (distributors:write, Idempotency-Key) — a sponsor or placement move: {"tree":"sponsor","new_sponsor","effective_from","reason"} or {"tree":"placement","new_parent","position","effective_from","reason"}; 409 for a cycle or a taken slot, 422 for a bad slot.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  try {
    if (request.method !== "POST") return problem({ status: 405, type: "method-not-allowed", title: "Method not allowed" }, { Allow: "POST" });
    const caller = await authenticateApiRequest(db(), request, "distributors:write");
    const raw = (await readBodyWithLimit(request, config().INGEST_MAX_BODY_BYTES)).toString("utf8");
    let body: unknown;
    try {
      body = parseJsonLossless(raw);
    } catch {
      return problem({ status: 400, type: "malformed-body", title: "Malformed body", detail: "The body is not valid JSON." });
    }
    const id = params.id ?? "";
    return await withIdempotency(
      db(),
      { shopId: caller.shopId, key: request.headers.get("idempotency-key"), method: "POST", path: `/api/v1/distributors/${id}/moves`, fingerprint: canonicalJson(body) },
      () => moveRequest(db(), caller.shopId, caller.tokenId, id, body),
    );
  } catch (error) {
    if (error instanceof ProblemError) return error.toResponse();
    throw error;
  }
};

export const loader = () => problem({ status: 405, type: "method-not-allowed", title: "Method not allowed" }, { Allow: "POST" });
