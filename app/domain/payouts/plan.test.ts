import { describe, expect, it } from "vitest";
import { isBalanced } from "../ledger";
import { parseConfirmation, exportLine } from "./csv";
import { payoutApproval, payoutReversal, payoutSettlement } from "./ledger";
import { planPayouts, type Payee, type PayeeBalance, type PayoutRules } from "./plan";

const rules = (minimumMinor: bigint, methodMinimums: PayoutRules["methodMinimums"] = {}): PayoutRules => ({ minimumMinor, methodMinimums });
const payee = (distributorId: string, over: Partial<Payee> = {}): [string, Payee] => [
  distributorId,
  { distributorId, status: "active", isCompanyNode: false, method: { kind: "paypal", onHold: false }, ...over },
];
const usd = (distributorId: string, availableMinor: bigint, currency = "USD"): PayeeBalance => ({ distributorId, currency, availableMinor });

describe("planPayouts — worked examples", () => {
  it("threshold: balances 7.00 and 9.00 with a minimum of 10.00 pay nothing, both carried", () => {
    const plan = planPayouts({ balances: [usd("a", 700n), usd("b", 900n)], payees: new Map([payee("a"), payee("b")]), rules: rules(1_000n) });
    expect(plan.items).toEqual([]);
    expect(plan.heldBack).toEqual([
      { distributorId: "a", currency: "USD", balanceMinor: 700n, reason: "below_threshold", minimumMinor: 1_000n },
      { distributorId: "b", currency: "USD", balanceMinor: 900n, reason: "below_threshold", minimumMinor: 1_000n },
    ]);
    expect(plan.totals).toEqual({});
  });

  it("netting: a clawback of 50.00 after a payout, then 30.00 earned pays nothing; 80.00 earned pays 30.00", () => {
    const payees = new Map([payee("a")]);
    const after30 = planPayouts({ balances: [usd("a", -5_000n + 3_000n)], payees, rules: rules(0n) });
    expect(after30.items).toEqual([]);
    expect(after30.heldBack).toEqual([{ distributorId: "a", currency: "USD", balanceMinor: -2_000n, reason: "negative_balance" }]);
    const after80 = planPayouts({ balances: [usd("a", -5_000n + 8_000n)], payees, rules: rules(0n) });
    expect(after80.items).toEqual([{ distributorId: "a", currency: "USD", method: "paypal", amountMinor: 3_000n }]);
  });

  it("multi-currency: each currency is its own item, never converted; a run for one currency takes only it", () => {
    const balances = [usd("a", 1_250n, "EUR"), usd("a", 4_321n, "USD")];
    const plan = planPayouts({ balances, payees: new Map([payee("a")]), rules: rules(1_000n) });
    expect(plan.items).toEqual([
      { distributorId: "a", currency: "EUR", method: "paypal", amountMinor: 1_250n },
      { distributorId: "a", currency: "USD", method: "paypal", amountMinor: 4_321n },
    ]);
    expect(plan.totals).toEqual({ EUR: { items: 1, amountMinor: 1_250n }, USD: { items: 1, amountMinor: 4_321n } });
    expect(planPayouts({ balances, payees: new Map([payee("a")]), rules: rules(0n), currency: "EUR" }).items.map((i) => i.currency)).toEqual(["EUR"]);
  });

  it("holds back with one reason each: no method, on hold, not active; the company node is never a payee", () => {
    const plan = planPayouts({
      balances: [usd("nomethod", 2_000n), usd("hold", 2_000n), usd("inactive", 2_000n), usd("company", 2_000n), usd("zero", 0n)],
      payees: new Map([
        payee("nomethod", { method: null }),
        payee("hold", { method: { kind: "bank", onHold: true } }),
        payee("inactive", { status: "inactive" }),
        payee("company", { isCompanyNode: true }),
        payee("zero"),
      ]),
      rules: rules(0n),
    });
    expect(plan.items).toEqual([]);
    expect(plan.heldBack.map((h) => [h.distributorId, h.reason])).toEqual([
      ["hold", "on_hold"],
      ["inactive", "status_not_active"],
      ["nomethod", "no_payout_method"],
    ]);
  });

  it("a method's own minimum applies when it is above the shop's", () => {
    const plan = planPayouts({
      balances: [usd("p", 2_000n), usd("s", 2_000n)],
      payees: new Map([payee("p"), payee("s", { method: { kind: "stripe", onHold: false } })]),
      rules: rules(1_000n, { paypal: 2_500n }),
    });
    expect(plan.items.map((i) => i.distributorId)).toEqual(["s"]);
    expect(plan.heldBack).toEqual([{ distributorId: "p", currency: "USD", balanceMinor: 2_000n, reason: "below_threshold", minimumMinor: 2_500n }]);
  });
});

describe("payout ledger drafts", () => {
  const item = { shopId: "shop", runId: "run", itemId: "item", distributorId: "a", currency: "USD", amountMinor: 3_000n };
  it("approve moves the amount from the available wallet to clearing under payout:<item>:approve", () => {
    const draft = payoutApproval(item, "2026-12-05T00:00:00Z");
    expect(draft.idempotencyKey).toBe("payout:item:approve");
    expect(draft.kind).toBe("payout");
    expect(draft.postings).toEqual([
      { account: "wallet_available:shop:USD:a", amountMinor: 3_000n, currency: "USD" },
      { account: "payouts_clearing:shop:USD", amountMinor: -3_000n, currency: "USD" },
    ]);
  });
  it("settle empties clearing into cash; reverse brings the amount back to the wallet from where it sits", () => {
    const settle = payoutSettlement(item, "2026-12-05T00:00:00Z");
    expect(settle.postings.map((p) => [p.account, p.amountMinor])).toEqual([
      ["payouts_clearing:shop:USD", 3_000n],
      ["payouts_cash:shop:USD", -3_000n],
    ]);
    const beforeSettle = payoutReversal(item, "2026-12-05T00:00:00Z", false);
    expect(beforeSettle.postings.map((p) => [p.account, p.amountMinor])).toEqual([
      ["payouts_clearing:shop:USD", 3_000n],
      ["wallet_available:shop:USD:a", -3_000n],
    ]);
    const afterSettle = payoutReversal(item, "2026-12-05T00:00:00Z", true);
    expect(afterSettle.postings[0]!.account).toBe("payouts_cash:shop:USD");
    for (const draft of [settle, beforeSettle, afterSettle]) expect(isBalanced(draft.postings)).toBe(true);
    // approve + reverse leaves the wallet exactly where it was
    const wallet = [payoutApproval(item, "x"), beforeSettle]
      .flatMap((d) => d.postings)
      .filter((p) => p.account.startsWith("wallet"))
      .reduce((s, p) => s + p.amountMinor, 0n);
    expect(wallet).toBe(0n);
  });
  it("refuses a non-positive amount", () => {
    expect(() => payoutApproval({ ...item, amountMinor: 0n }, "x")).toThrow(RangeError);
  });
});

describe("bank CSV", () => {
  it("writes one quoted, formula-safe row per item with the amount to the cent", () => {
    expect(
      exportLine({
        itemId: "i1",
        distributorCode: "JANE01",
        name: '=HYPERLINK("x")',
        email: "j@example.com",
        destination: { iban: "DE89 3704" },
        amountMinor: 123_456n,
        currency: "EUR",
      }),
    ).toBe(`i1,"'=HYPERLINK(""x"")",j@example.com,,DE89 3704,,,1234.56,EUR,JANE01\r\n`);
  });
  it("reads the bank's confirmation, reporting rows it cannot read by line", () => {
    const { confirmations, issues } = parseConfirmation(
      "reference,status,amount,currency,bank_reference\r\ni1,Completed,1234.56,eur,B-1\ni2,rejected,5.00,USD,\ni3,maybe,1,USD,\n",
    );
    expect(confirmations).toEqual([
      { itemId: "i1", outcome: "paid", amountMinor: 123_456n, currency: "EUR", bankReference: "B-1", error: null },
      { itemId: "i2", outcome: "failed", amountMinor: 500n, currency: "USD", bankReference: null, error: null },
    ]);
    expect(issues).toEqual([{ line: 4, message: 'unknown status "maybe"' }]);
  });
});
