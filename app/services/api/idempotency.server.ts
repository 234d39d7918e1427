import { createHash } from "node:crypto";
import type { z } from "zod";
import type { Db } from "~/db.server";
import { problem, problemBody, type ProblemInit } from "~/services/http/problem.server";

/** Stripe's rule: a key is remembered for at least 24 hours. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** How often the worker deletes expired keys (a repeatable maintenance job), so the table stays small. */
export const IDEMPOTENCY_PURGE_EVERY_MS = 60 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * A success the idempotency record stores and replays, its body typed against the response schema the API
 * document gives for it (openapi.server.ts): a body that leaves the schema does not compile. The schema is
 * only read by the compiler; test/api/openapi.test.ts checks real bodies against the document.
 */
export function answered<S extends z.ZodType>(_schema: S, status: 200 | 201 | 202, body: z.input<S>): StoredResponse {
  return { status, body };
}

/** A refusal as a response the idempotency record stores and replays. */
export function storedProblem(init: ProblemInit): StoredResponse {
  return { status: init.status, body: problemBody(init) };
}

export interface IdempotentRequest {
  shopId: string;
  key: string | null;
  method: string;
  path: string;
  /** Canonical text of the request body (sorted keys); the hash adds the method and the path. */
  fingerprint: string;
}

function json(status: number, body: unknown, replayed: boolean): Response {
  const headers: Record<string, string> = {
    "Content-Type": status >= 400 ? "application/problem+json" : "application/json",
  };
  if (replayed) headers["Idempotent-Replayed"] = "true";
  return new Response(JSON.stringify(body), { status, headers });
}

async function claim(db: Db, request: IdempotentRequest & { key: string }, requestHash: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ key: string }[]>`
    INSERT INTO "IdempotencyKey" ("shopId", "key", "requestHash", "method", "path", "expiresAt")
    VALUES (${request.shopId}::uuid, ${request.key}, ${requestHash}, ${request.method}, ${request.path},
      ${new Date(Date.now() + IDEMPOTENCY_KEY_TTL_MS)})
    ON CONFLICT ("shopId", "key") DO NOTHING
    RETURNING "key"`;
  return rows.length === 1;
}

/**
 * Runs `handler` once per (shop, Idempotency-Key), with Stripe's semantics, enforced by the table's primary key:
 * the same key and body get the stored response (same status, same body); the same key with another body gets
 * 422; a key whose first request is still running gets 409. A handler that throws releases the key, so the
 * client may retry; every response it returns, success or client error, is stored and replayed.
 */
export async function withIdempotency(db: Db, request: IdempotentRequest, handler: () => Promise<StoredResponse>): Promise<Response> {
  if (!request.key || !KEY_PATTERN.test(request.key)) {
    return problem({
      status: 400,
      type: "idempotency-key-required",
      title: "Idempotency-Key required",
      detail: "Every POST needs an Idempotency-Key header of 1–255 visible ASCII characters (a UUID is a good choice).",
    });
  }
  const keyed = { ...request, key: request.key };
  // Method and path are part of what the key stands for: the same key on another endpoint is a reuse (422),
  // never a replay of the first endpoint's response.
  const requestHash = createHash("sha256").update(`${request.method} ${request.path}\n${request.fingerprint}`).digest("hex");

  let claimed = await claim(db, keyed, requestHash);
  if (!claimed) {
    // An expired key is forgotten and may be used again.
    const removed = await db.idempotencyKey.deleteMany({ where: { shopId: request.shopId, key: keyed.key, expiresAt: { lt: new Date() } } });
    if (removed.count > 0) claimed = await claim(db, keyed, requestHash);
  }

  if (!claimed) {
    const existing = await db.idempotencyKey.findUnique({ where: { shopId_key: { shopId: request.shopId, key: keyed.key } } });
    if (!existing) return withIdempotency(db, request, handler); // released between our insert and read: try again
    if (existing.requestHash !== requestHash) {
      return problem({
        status: 422,
        type: "idempotency-key-reused",
        title: "Idempotency-Key reused",
        detail: "This key was used with a different request; use a new key for a new request.",
      });
    }
    if (existing.completedAt === null || existing.responseStatus === null) {
      return problem(
        {
          status: 409,
          type: "idempotency-key-in-flight",
          title: "Request in progress",
          detail: "The first request with this key has not finished; retry shortly.",
        },
        { "Retry-After": "1" },
      );
    }
    return json(existing.responseStatus, JSON.parse(existing.responseBody ?? "null"), true);
  }

  let result: StoredResponse;
  try {
    result = await handler();
  } catch (error) {
    await db.idempotencyKey.deleteMany({ where: { shopId: request.shopId, key: keyed.key, completedAt: null } });
    throw error;
  }
  await db.idempotencyKey.update({
    where: { shopId_key: { shopId: request.shopId, key: keyed.key } },
    data: { responseStatus: result.status, responseBody: JSON.stringify(result.body), completedAt: new Date() },
  });
  return json(result.status, result.body, false);
}

export async function purgeExpiredIdempotencyKeys(db: Db): Promise<number> {
  const { count } = await db.idempotencyKey.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  return count;
}
