export type PayoutErrorCode = "unknown_run" | "unknown_item" | "invalid_state" | "unknown_distributor" | "invalid_input";

export class PayoutServiceError extends Error {
  constructor(readonly code: PayoutErrorCode, message: string) {
    super(message);
    this.name = "PayoutServiceError";
  }
}
