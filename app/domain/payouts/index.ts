/** Payouts (pure): who gets paid, the ledger drafts of each step, the item state machine, the bank CSV. */
export * from "./csv";
export * from "./items";
export * from "./ledger";
export * from "./plan";
export * from "./schedule";
