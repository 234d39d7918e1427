import { describe, expect, it } from "vitest";
import { assertBalanced, isBalanced, UnbalancedTransactionError } from "./balance";

describe("assertBalanced", () => {
  it("accepts postings that sum to zero in every currency", () => {
    const postings = [
      { account: "x", amountMinor: 100n, currency: "USD" },
      { account: "y", amountMinor: -100n, currency: "USD" },
      { account: "z", amountMinor: 5n, currency: "EUR" },
      { account: "w", amountMinor: -5n, currency: "EUR" },
    ];
    expect(() => assertBalanced(postings)).not.toThrow();
    expect(isBalanced(postings)).toBe(true);
  });

  it("rejects a transaction that balances only across currencies, naming each imbalance", () => {
    const postings = [
      { account: "x", amountMinor: 100n, currency: "USD" },
      { account: "y", amountMinor: -100n, currency: "EUR" },
    ];
    expect(isBalanced(postings)).toBe(false);
    expect(() => assertBalanced(postings)).toThrow(UnbalancedTransactionError);
    expect(() => assertBalanced(postings)).toThrow("postings do not sum to zero: USD 100, EUR -100");
  });
});
