/**
 * Every error an HTTP surface can meet becomes one problem+json response, decided here and nowhere else:
 * each area's refusal type maps through one table; PostgreSQL being unreachable is a 503 with Retry-After;
 * anything else is a 500 whose `error_id` is logged with the stack, so a merchant's report finds the log line.
 */
import { randomUUID } from "node:crypto";
import { GenealogyError, InvalidMoveError } from "~/domain/genealogy/errors";
import { NormalizationError } from "~/domain/platforms/normalized";
import { logger } from "~/logger.server";
import { GenealogyServiceError } from "~/services/genealogy/errors.server";
import { PayoutServiceError } from "~/services/payouts/errors.server";
import { PeriodServiceError } from "~/services/periods/errors.server";
import { problem, ProblemError, validationProblem, type ProblemInit } from "./problem.server";

const slug = (code: string) => code.replaceAll("_", "-");

// Abstract constructors so subclasses (CycleError, InvalidMoveError) match their area's row.
type ErrorClass<E> = abstract new (...args: never[]) => E;
type AreaRow = (error: unknown) => ProblemInit | null;
const row =
  <E extends Error>(type: ErrorClass<E>, toProblem: (error: E) => ProblemInit): AreaRow =>
  (error) =>
    error instanceof type ? toProblem(error) : null;

const GENEALOGY_CONFLICTS = new Set(["cycle", "matrix_full", "position_taken", "later_change_exists"]);
const PAYOUT_NOT_FOUND = new Set(["unknown_run", "unknown_item", "unknown_distributor"]);
const PERIOD_TITLES = { 404: "Not found", 409: "Conflict", 422: "Unprocessable request" } as const;

/** One row per area's error type: the first row whose type matches decides the problem. */
const AREA_ERRORS: readonly AreaRow[] = [
  row(GenealogyServiceError, (error) => ({
    status: error.httpStatus,
    type: slug(error.code),
    title: error.httpStatus === 404 ? "Not found" : "Refused",
    detail: error.message,
  })),
  row(GenealogyError, (error) => {
    const reason = error instanceof InvalidMoveError ? error.reason : error.code;
    const conflict = GENEALOGY_CONFLICTS.has(reason) || GENEALOGY_CONFLICTS.has(error.code);
    return { status: conflict ? 409 : 422, type: slug(reason), title: conflict ? "Conflict" : "Refused", detail: error.message };
  }),
  row(PeriodServiceError, (error) => ({ status: error.httpStatus, type: slug(error.code), title: PERIOD_TITLES[error.httpStatus], detail: error.message })),
  row(PayoutServiceError, (error) => {
    if (PAYOUT_NOT_FOUND.has(error.code)) return { status: 404, type: "not-found", title: "Not found", detail: error.message };
    if (error.code === "invalid_state") return { status: 409, type: "payout-invalid-state", title: "Not allowed in this state", detail: error.message };
    return { status: 422, type: "payout-invalid", title: "Invalid payout request", detail: error.message };
  }),
  row(NormalizationError, (error) => validationProblem(422, [{ path: [error.field], message: error.message }], "A field is invalid.")),
];

/** An area's refusal as a ProblemError; null when the error is not a known refusal. */
export function areaProblem(error: unknown): ProblemError | null {
  if (error instanceof ProblemError) return error;
  for (const area of AREA_ERRORS) {
    const init = area(error);
    if (init) return new ProblemError(init);
  }
  return null;
}

// Node socket errors, PostgreSQL's connection-exception class (08…) and shutdown/too-many-connections codes,
// Prisma's "can't reach / timed out / closed" and pool-timeout codes.
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EPIPE",
  "EAI_AGAIN",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "P1001",
  "P1002",
  "P1017",
  "P2024",
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Can't reach database server|DatabaseNotReachable|connect ECONNREFUSED|Connection refused/i;

/** True when the error, or any error it wraps, says the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || error === null || typeof error !== "object") return false;
  const { code, message, cause, errors, meta } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown; meta?: unknown };
  if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || code.startsWith("08"))) return true;
  if (typeof message === "string" && UNAVAILABLE_MESSAGES.test(message)) return true;
  const nested = [cause, meta, ...(Array.isArray(errors) ? errors : [])];
  if (meta && typeof meta === "object") nested.push(...Object.values(meta));
  return nested.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}

export const DATABASE_RETRY_AFTER_S = 5;

/**
 * The response for an error a handler did not answer itself. Known refusals keep their status; an unreachable
 * database is 503 (retry later, nothing lost); anything else is 500 with an id that is also in the log line.
 */
export function errorResponse(error: unknown, context: Record<string, unknown> = {}): Response {
  const refusal = areaProblem(error);
  if (refusal) return refusal.toResponse();
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error, ...context }, "database unavailable: answered 503");
    return problem(
      {
        status: 503,
        type: "service-unavailable",
        title: "Service unavailable",
        detail: "The database cannot be reached right now; nothing was lost. Retry shortly.",
      },
      { "Retry-After": String(DATABASE_RETRY_AFTER_S) },
    );
  }
  const errorId = randomUUID();
  logger.error({ err: error, errorId, ...context }, "unexpected error: answered 500");
  return problem({
    status: 500,
    type: "internal-error",
    title: "Internal error",
    detail: `Something went wrong on our side. Quote error id ${errorId} when reporting it.`,
    error_id: errorId,
  });
}
