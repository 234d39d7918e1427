/**
 * What every write handler of the setup endpoints shares: the body parsed by its zod schema (a 422 naming each
 * field otherwise) and every refusal thrown on the way turned into the stored response the idempotency record
 * keeps and replays (a 4xx is an answer, not a failure: the same key gets the same refusal).
 */
import type { z } from "zod";
import { areaProblem } from "~/services/http/error-map.server";
import { ProblemError, validationProblem } from "~/services/http/problem.server";
import { storedProblem, type StoredResponse } from "./idempotency.server";

export function parseBody<T extends z.ZodType>(schema: T, body: unknown, detail = "The request has invalid or missing fields."): z.output<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ProblemError(validationProblem(422, parsed.error.issues, detail));
  return parsed.data;
}

export function parseQueryParams<T extends z.ZodType>(schema: T, params: URLSearchParams): z.output<T> {
  const parsed = schema.safeParse(Object.fromEntries(params));
  if (!parsed.success) throw new ProblemError(validationProblem(400, parsed.error.issues, "A query parameter is invalid."));
  return parsed.data;
}

/** A 422 for one field, e.g. an unknown class named by a mapping. */
export function fieldProblem(field: readonly PropertyKey[], message: string, detail: string): ProblemError {
  return new ProblemError(validationProblem(422, [{ path: field, message }], detail));
}

export function notFoundProblem(detail: string): ProblemError {
  return new ProblemError({ status: 404, type: "not-found", title: "Not found", detail });
}

export async function asStored(work: () => Promise<StoredResponse>): Promise<StoredResponse> {
  try {
    return await work();
  } catch (error) {
    const refusal = areaProblem(error);
    if (refusal) return storedProblem(refusal.init);
    throw error;
  }
}
