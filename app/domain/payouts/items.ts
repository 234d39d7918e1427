/**
 * A payout item's life (pure): which status changes are allowed and which ledger step each one posts. The
 * services apply a change as `UPDATE … WHERE status = <from>`, so of two workers racing on one item only one
 * moves it, and only that one posts.
 */
import type { PayoutStep } from "./ledger";

export const ITEM_STATUSES = ["pending", "submitted", "paid", "failed", "returned", "cancelled"] as const;
export type PayoutItemStatus = (typeof ITEM_STATUSES)[number];

/** What a provider says about one item. */
export type ProviderState = "paid" | "in_flight" | "failed" | "returned";

interface Transition {
  readonly from: readonly PayoutItemStatus[];
  readonly to: PayoutItemStatus;
  /** The ledger step the change posts (null: none). */
  readonly step: PayoutStep | null;
}

const TRANSITIONS: Record<ProviderState | "submit" | "cancel", Transition> = {
  // Recorded before the provider is called (the intent), and again when it answers "accepted, not final".
  submit: { from: ["pending", "submitted"], to: "submitted", step: null },
  in_flight: { from: ["pending", "submitted"], to: "submitted", step: null },
  paid: { from: ["pending", "submitted"], to: "paid", step: "settle" },
  failed: { from: ["pending", "submitted"], to: "failed", step: "reverse" },
  // A return may come after the provider had confirmed the payment (PayPal: an unclaimed payment returned).
  returned: { from: ["pending", "submitted", "paid"], to: "returned", step: "reverse" },
  cancel: { from: ["pending"], to: "cancelled", step: "reverse" },
};

export type ItemEvent = keyof typeof TRANSITIONS;

export function transitionFor(event: ItemEvent): Transition {
  return TRANSITIONS[event];
}

export function isFinal(status: PayoutItemStatus): boolean {
  return status === "failed" || status === "returned" || status === "cancelled";
}

/** Items the worker still has to ask a provider about. */
export function isOpen(status: PayoutItemStatus): boolean {
  return status === "pending" || status === "submitted";
}
