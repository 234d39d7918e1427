import { describe, expect, it } from "vitest";
import { planCurrencyMismatches } from "./plan-currencies";

describe("planCurrencyMismatches", () => {
  it("lists every stated currency that is not the shop's, with its path", () => {
    const rules = {
      components: [
        { type: "unilevel", rates: { kits: [{ kind: "fixed_per_unit", amountMinor: "700", currency: "USD" }] } },
        { type: "bonus", amount: { amountMinor: "5000", currency: "usd" } },
      ],
      period: { minimumPayout: { amountMinor: "2000", currency: "USD" } },
    };
    expect(planCurrencyMismatches(rules, "USD")).toEqual([]);
    expect(planCurrencyMismatches(rules, "EUR")).toEqual([
      { path: "components[0].rates.kits[0].currency", currency: "USD" },
      { path: "components[1].amount.currency", currency: "USD" },
      { path: "period.minimumPayout.currency", currency: "USD" },
    ]);
  });
});
