/**
 * RFC 9457 problem details: every error our HTTP surfaces return is `application/problem+json` with a stable,
 * machine-readable `type` (a URN under upline:problem) and a human `detail`.
 */
import type { z } from "zod";

export interface ProblemInit {
  status: number;
  type: string;
  title: string;
  detail?: string;
  [extension: string]: unknown;
}

/** The one builder of a problem body; `type` is the short name, the URN is added here. */
export function problemBody({ status, type, title, detail, ...extensions }: ProblemInit) {
  return { type: `urn:upline:problem:${type}`, title, status, ...(detail ? { detail } : {}), ...extensions };
}

export interface FieldIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** zod's issues as the `errors` every validation problem carries: `{ field: "items.0.sku", message }`. */
export function fieldErrors(issues: readonly FieldIssue[]) {
  return issues.map((issue) => ({ field: issue.path.map(String).join(".") || "(body)", message: issue.message }));
}

/** 400 for a query parameter, 422 for a body: the problem names every invalid field. */
export function validationProblem(status: 400 | 422, issues: readonly FieldIssue[], detail: string): ProblemInit {
  return {
    status,
    type: status === 400 ? "invalid-parameter" : "validation-failed",
    title: status === 400 ? "Invalid query parameter" : "Validation failed",
    detail,
    errors: fieldErrors(issues),
  };
}

/** Parses a query (400) or a body (422) with its zod schema, or throws the validation problem naming each field. */
export function parseOrProblem<T extends z.ZodType>(schema: T, value: unknown, where: "query" | "body", detail?: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const status = where === "query" ? 400 : 422;
  throw new ProblemError(
    validationProblem(
      status,
      parsed.error.issues,
      detail ?? (where === "query" ? "A query parameter is invalid." : "The request body has invalid or missing fields."),
    ),
  );
}

export function problem(init: ProblemInit, headers?: HeadersInit): Response {
  const body = problemBody(init);
  const responseHeaders = new Headers(headers);
  responseHeaders.set("Content-Type", "application/problem+json");
  return new Response(JSON.stringify(body), { status: init.status, headers: responseHeaders });
}

export class ProblemError extends Error {
  constructor(
    readonly init: ProblemInit,
    readonly headers?: HeadersInit,
  ) {
    super(init.detail ?? init.title);
    this.name = "ProblemError";
  }

  toResponse(): Response {
    return problem(this.init, this.headers);
  }
}
