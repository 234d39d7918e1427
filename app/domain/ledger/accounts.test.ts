import { describe, expect, it } from "vitest";
import { commissionExpenseAccount, parseAccount, payoutsClearingAccount, walletAvailableAccount, walletPendingAccount } from "./accounts";

describe("ledger accounts", () => {
  it("are named per shop and currency, wallets per distributor too", () => {
    expect(commissionExpenseAccount("shop-1", "usd")).toBe("commission_expense:shop-1:USD");
    expect(payoutsClearingAccount("shop-1", "EUR")).toBe("payouts_clearing:shop-1:EUR");
    expect(walletPendingAccount("shop-1", "USD", "dist-9")).toBe("wallet_pending:shop-1:USD:dist-9");
    expect(walletAvailableAccount("shop-1", "USD", "dist-9")).toBe("wallet_available:shop-1:USD:dist-9");
  });

  it("escape ids so that no two different owners share an account code, and parse back", () => {
    const tricky = walletPendingAccount("my:shop", "USD", "a%3Ab");
    expect(tricky).toBe("wallet_pending:my%3Ashop:USD:a%253Ab");
    expect(parseAccount(tricky)).toEqual({ kind: "wallet_pending", shopId: "my:shop", currency: "USD", distributorId: "a%3Ab" });
    expect(parseAccount(commissionExpenseAccount("s", "USD"))).toEqual({ kind: "commission_expense", shopId: "s", currency: "USD" });
    expect(parseAccount("cash:s:USD")).toBeNull();
    expect(parseAccount("commission_expense:s:USD:extra")).toBeNull();
  });
});

describe("account code escaping", () => {
  it.each(["plain", "a:b", "a%b", "%3A", "%25", "::%%::", ""])("round-trips %j", (id) => {
    expect(parseAccount(walletPendingAccount(id, "USD", id))).toEqual({ kind: "wallet_pending", shopId: id, currency: "USD", distributorId: id });
  });
});
