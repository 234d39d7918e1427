/** Ledger posting rules (pure): services import from here; the DB writer persists the drafts. */
export * from "./accounts";
export * from "./balance";
export * from "./idempotency-keys";
export * from "./period-transactions";
export * from "./reconcile";
export * from "./transactions";
