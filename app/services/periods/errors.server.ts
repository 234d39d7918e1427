/**
 * Refusals of period actions, with a stable `code` the API maps to problem+json without parsing messages:
 * 404 for an unknown period, 409 for one whose state does not allow the action, 422 for a request that cannot
 * be right (no plan schedule, a missing reason).
 */
import { ServiceError } from "~/services/service-error.server";

export type PeriodErrorCode =
  "period_not_found" | "period_not_ended" | "earlier_period_open" | "period_not_closed" | "no_plan_in_force" | "reason_required" | "invalid_close_input";

const STATUS: Record<PeriodErrorCode, 404 | 409 | 422> = {
  period_not_found: 404,
  period_not_ended: 409,
  earlier_period_open: 409,
  period_not_closed: 409,
  no_plan_in_force: 422,
  reason_required: 422,
  invalid_close_input: 422,
};

export class PeriodServiceError extends ServiceError<PeriodErrorCode> {
  override name = "PeriodServiceError";

  get httpStatus(): 404 | 409 | 422 {
    return STATUS[this.code];
  }
}
