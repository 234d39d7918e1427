import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { config } from "~/config.server";
import { db } from "~/db.server";
import { canonicalJson } from "~/domain/canonical-json";
import { parseJsonLossless } from "~/domain/platforms/json";
import { withIdempotency } from "~/services/api/idempotency.server";
import { authenticateApiRequest } from "~/services/api/tokens.server";
import { answer, createDistributorRequest, listDistributorsRequest } from "~/services/genealogy/rest.server";
import { problem, ProblemError } from "~/services/http/problem.server";
import { readBodyWithLimit } from "~/services/http/read-body.server";

// GET /api/v1/distributors?search=&limit=&after= (distributors:read) — list and search.
export const loader = ({ request }: LoaderFunctionArgs) =>
  answer(async () => {
    const caller = await authenticateApiRequest(db(), request, "distributors:read");
    return listDistributorsRequest(db(), caller.shopId, new URL(request.url).searchParams);
  });

// POST /api/v1/distributors (distributors:write, Idempotency-Key) — enrol one; the same external_id or e-mail
// again answers 200 with the person already there instead of creating a second one.
export const action = async ({ request }: ActionFunctionArgs) => {
  try {
    if (request.method !== "POST") {
      return problem({ status: 405, type: "method-not-allowed", title: "Method not allowed" }, { Allow: "GET, POST" });
    }
    const caller = await authenticateApiRequest(db(), request, "distributors:write");
    const raw = (await readBodyWithLimit(request, config().INGEST_MAX_BODY_BYTES)).toString("utf8");
    let body: unknown;
    try {
      body = parseJsonLossless(raw);
    } catch {
      return problem({ status: 400, type: "malformed-body", title: "Malformed body", detail: "The body is not valid JSON." });
    }
    return await withIdempotency(
      db(),
      { shopId: caller.shopId, key: request.headers.get("idempotency-key"), method: "POST", path: "/api/v1/distributors", fingerprint: canonicalJson(body) },
      () => createDistributorRequest(db(), caller.shopId, caller.tokenId, body),
    );
  } catch (error) {
    if (error instanceof ProblemError) return error.toResponse();
    throw error;
  }
};
