/**
 * The glue every /api/v1 route shares, in one place. Reads: the token and its scope, the query, every refusal as
 * problem+json. Writes: POST only, a JSON body within the size limit (parsed losslessly: 18-digit platform ids
 * stay exact) and Stripe's Idempotency-Key as well. A route is then one call naming its scope and its handler.
 */
import { config } from "~/config.server";
import { db } from "~/db.server";
import { canonicalJson } from "~/domain/canonical-json";
import { findUnstorableText, UNSTORABLE_TEXT_MESSAGE } from "~/domain/input-atoms";
import { parseJsonLossless } from "~/domain/platforms/json";
import { errorResponse } from "~/services/http/error-map.server";
import { problem, ProblemError, validationProblem } from "~/services/http/problem.server";
import { readBodyWithLimit } from "~/services/http/read-body.server";
import { withIdempotency, type StoredResponse } from "./idempotency.server";
import { authenticateApiRequest, type ApiCaller, type ApiScope } from "./tokens.server";

/**
 * A JSON request body within the body limit; an empty body is `{}`, anything unparseable a 400. Text that
 * PostgreSQL cannot store (NUL, unpaired surrogates) is refused here for every route, naming the field.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const raw = (await readBodyWithLimit(request, config().INGEST_MAX_BODY_BYTES)).toString("utf8");
  if (raw.trim() === "") return {};
  let body: unknown;
  try {
    body = parseJsonLossless(raw);
  } catch {
    throw new ProblemError({ status: 400, type: "malformed-body", title: "Malformed body", detail: "The body is not valid JSON." });
  }
  const unstorable = findUnstorableText(body);
  if (unstorable)
    throw new ProblemError(validationProblem(422, [{ path: [unstorable], message: UNSTORABLE_TEXT_MESSAGE }], "A field holds text that cannot be stored."));
  return body;
}

/** The query string, refusing parameters whose text cannot be stored or searched (NUL, broken unicode). */
export function readQuery(request: Request): URLSearchParams {
  const query = new URL(request.url).searchParams;
  for (const [name, value] of query) {
    if (findUnstorableText(value) || findUnstorableText(name)) {
      throw new ProblemError(validationProblem(400, [{ path: [name], message: UNSTORABLE_TEXT_MESSAGE }], "A query parameter is invalid."));
    }
  }
  return query;
}

export const methodNotAllowed = (allow: string) => () => problem({ status: 405, type: "method-not-allowed", title: "Method not allowed" }, { Allow: allow });

interface ApiPost {
  readonly scope: ApiScope;
  /** POST unless said otherwise; PUT and DELETE go through the same glue (and the same Idempotency-Key rules). */
  readonly method?: "POST" | "PUT" | "DELETE";
  /** The request's path as the idempotency record keys it (`/api/v1/distributors/<id>/moves`). */
  readonly path: string;
  /** What the route answers to other methods. */
  readonly allow?: string;
  /**
   * False only for a POST that writes nothing (what-if): it then needs no Idempotency-Key. "optional" for a
   * DELETE: naturally idempotent, it honours a key when one is sent (the replay answers like the first call).
   */
  readonly idempotent?: boolean | "optional";
}

export async function handleApiPost(request: Request, post: ApiPost, handle: (caller: ApiCaller, body: unknown) => Promise<StoredResponse>): Promise<Response> {
  try {
    const method = post.method ?? "POST";
    if (request.method !== method) return methodNotAllowed(post.allow ?? method)();
    const caller = await authenticateApiRequest(db(), request, post.scope);
    const body = await readJsonBody(request);
    const key = request.headers.get("idempotency-key");
    if (post.idempotent === false || (post.idempotent === "optional" && key === null)) return storedToResponse(await handle(caller, body));
    return await withIdempotency(db(), { shopId: caller.shopId, key, method, path: post.path, fingerprint: canonicalJson(body) }, () => handle(caller, body));
  } catch (error) {
    return errorResponse(error, { method: request.method, path: post.path });
  }
}

function storedToResponse(stored: StoredResponse): Response {
  return new Response(JSON.stringify(stored.body), {
    status: stored.status,
    headers: { "Content-Type": stored.status >= 400 ? "application/problem+json" : "application/json" },
  });
}

/**
 * A read: `read` gets the caller and the query string and returns the JSON body. ProblemErrors and every
 * area's refusals answer as problem+json (error-map.server.ts); `toProblem` may map a route's own.
 */
export async function handleApiGet(
  request: Request,
  scope: ApiScope,
  read: (caller: ApiCaller, query: URLSearchParams) => Promise<unknown>,
  toProblem: (error: unknown) => ProblemError | null = () => null,
): Promise<Response> {
  try {
    const query = readQuery(request);
    const caller = await authenticateApiRequest(db(), request, scope);
    return Response.json(await read(caller, query));
  } catch (error) {
    return toProblem(error)?.toResponse() ?? errorResponse(error, { method: "GET", path: new URL(request.url).pathname });
  }
}
