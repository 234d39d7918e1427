/**
 * Refusals of genealogy actions, with a stable `code` an API route maps to a problem+json response (409 for a
 * conflict, 422 for a request that cannot be right) without parsing messages.
 */
import { ServiceError } from "~/services/service-error.server";

export type EnrollmentErrorCode =
  | "invalid_code"
  | "code_taken"
  | "unknown_sponsor"
  | "sponsor_not_enrolled"
  | "customer_already_linked"
  | "unknown_distributor"
  | "invalid_status_change"
  | "invalid_date"
  | "invalid_move"
  | "email_taken"
  | "external_id_taken"
  | "no_placement_tree";

export class GenealogyServiceError extends ServiceError<EnrollmentErrorCode> {
  override name = "GenealogyServiceError";

  get httpStatus(): 409 | 404 | 422 {
    if (["code_taken", "customer_already_linked", "email_taken", "external_id_taken"].includes(this.code)) return 409;
    if (this.code === "unknown_distributor") return 404;
    return 422;
  }
}
