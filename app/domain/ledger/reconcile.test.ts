import { describe, expect, it } from "vitest";
import { commissionExpensePerOrder, expectedCommissionForOrder, reconcileDay } from "./reconcile";
import { buildCommissionTransactions } from "./transactions";
import { evaluate } from "../engine/evaluate";
import { EXCLUDE_SHIPPING_AND_TAX, chain, order, orderLine, percentRates, standardCatalog, unilevelPlan } from "~test/support/engine";

describe("reconcileDay", () => {
  it("itemizes every order whose ledger total differs from what was expected", () => {
    const result = reconcileDay(
      [
        { orderId: "o-1", currency: "USD", amountMinor: 1_000n },
        { orderId: "o-2", currency: "USD", amountMinor: 500n },
        { orderId: "o-3", currency: "USD", amountMinor: 700n },
        { orderId: "o-4", currency: "EUR", amountMinor: 300n },
      ],
      [
        { orderId: "o-1", currency: "USD", amountMinor: 600n },
        { orderId: "o-1", currency: "USD", amountMinor: 400n }, // rows add up: o-1 matches
        { orderId: "o-3", currency: "USD", amountMinor: 699n },
        { orderId: "o-4", currency: "EUR", amountMinor: 300n },
        { orderId: "o-5", currency: "USD", amountMinor: 50n },
      ],
    );
    expect(result.items).toEqual([
      { orderId: "o-2", currency: "USD", expectedMinor: 500n, ledgerMinor: 0n, deltaMinor: -500n, status: "missing_in_ledger" },
      { orderId: "o-3", currency: "USD", expectedMinor: 700n, ledgerMinor: 699n, deltaMinor: -1n, status: "amount_mismatch" },
      { orderId: "o-5", currency: "USD", expectedMinor: 0n, ledgerMinor: 50n, deltaMinor: 50n, status: "unexpected_in_ledger" },
    ]);
    expect(result.totals).toEqual([
      { currency: "EUR", expectedMinor: 300n, ledgerMinor: 300n, deltaMinor: 0n },
      { currency: "USD", expectedMinor: 2_200n, ledgerMinor: 1_749n, deltaMinor: -451n },
    ]);
    expect(result.ordersCompared).toBe(5);
    expect(result.balanced).toBe(false);
  });

  it("is balanced when the ledger holds exactly what the engine computed", () => {
    const evaluation = evaluate({
      order: order([orderLine("a", "CREAM-50", 1, 10_000n)], { orderId: "o-9" }),
      planVersion: { id: "p", version: 1, rules: unilevelPlan({ standard: percentRates("10", "5") }) },
      catalog: standardCatalog(),
      upline: chain("ana", "ben"),
      settings: EXCLUDE_SHIPPING_AND_TAX,
    });
    const ledger = commissionExpensePerOrder(buildCommissionTransactions({ shopId: "s", evaluation }));
    expect(ledger).toEqual([{ orderId: "o-9", currency: "USD", amountMinor: 1_500n }]);
    expect(reconcileDay([expectedCommissionForOrder(evaluation)], ledger)).toMatchObject({ items: [], balanced: true });
  });
});
