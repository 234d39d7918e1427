import { ServiceError } from "~/services/service-error.server";

/** Refusals of payout actions; mapped to problem+json in services/http/error-map.server.ts. */
export type PayoutErrorCode = "unknown_run" | "unknown_item" | "invalid_state" | "unknown_distributor" | "invalid_input";

export class PayoutServiceError extends ServiceError<PayoutErrorCode> {
  override name = "PayoutServiceError";
}
