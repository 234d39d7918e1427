/**
 * One interface for every payout rail. `pay` must be safe to call again for the same items at any time (after
 * a crash, a timeout, a 5xx): it pays an item at most once, keyed by the item id (Stripe Idempotency-Key,
 * PayPal sender_batch_id/sender_item_id, a marker on the store credit transaction), and on a repeat reports
 * what happened the first time. It answers per item; an unreachable provider throws ProviderUnavailableError
 * so the job is retried later with the same keys.
 */
import type { PayoutMethodKind, ProviderState } from "~/domain/payouts";

export interface ProviderItem {
  readonly id: string;
  readonly distributorId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly destination: Readonly<Record<string, unknown>>;
  readonly status: "pending" | "submitted";
  readonly attemptCount: number;
  /** When the first attempt was recorded (null before it). */
  readonly submittedAt: Date | null;
  readonly providerReference: string | null;
  readonly providerBatch: string | null;
  readonly providerBatchRef: string | null;
}

export interface ProviderRun {
  readonly id: string;
  readonly shopId: string;
  readonly shopDomain: string;
}

export interface ProviderOutcome {
  readonly itemId: string;
  readonly state: ProviderState;
  readonly reference?: string | null;
  readonly batchRef?: string | null;
  readonly error?: string | null;
}

export interface PayoutProvider {
  readonly method: PayoutMethodKind;
  /** False for rails that confirm out of band (the bank file): the worker does not poll them. */
  readonly polls: boolean;
  pay(run: ProviderRun, items: readonly ProviderItem[]): Promise<ProviderOutcome[]>;
}

/** The provider could not be reached or answered 5xx / timed out: nothing is known, ask again later. */
export class ProviderUnavailableError extends Error {
  constructor(
    message: string,
    readonly outcomes: readonly ProviderOutcome[] = [],
  ) {
    super(message);
    this.name = "ProviderUnavailableError";
  }
}

export type Providers = Partial<Record<PayoutMethodKind, PayoutProvider>>;
