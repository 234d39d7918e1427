/**
 * What-if: a draft plan over a set of orders and a genealogy, without writing anything.
 */
import { describe, expect, it } from "vitest";
import { EXCLUDE_SHIPPING_AND_TAX, chain, order, orderLine, standardCatalog } from "~test/support/engine";
import { MARCH, tree } from "~test/support/periods";
import { whatIf } from "./what-if";

const draft = {
  schemaVersion: 1,
  period: { schedule: "monthly" },
  components: [
    {
      type: "unilevel",
      id: "uni",
      maxDepth: 2,
      compression: "dynamic",
      rates: {
        standard: [
          { kind: "percent", percent: "10" },
          { kind: "percent", percent: "5" },
        ],
      },
    },
    {
      type: "binary",
      id: "binary",
      volume: "pv",
      pairVolume: "100",
      payout: { kind: "per_pair", amountMinor: "1000", currency: "USD" },
      firstPair: "1:1",
      carry: { mode: "carry" },
    },
    { type: "matching", id: "match", matches: ["uni", "binary"], compression: "dynamic", generations: [{ percent: "10" }] },
  ],
};

// S sponsors and places L and R; orders by L's and R's customers (PV = 100% of net).
const distributors = tree({ S: {}, L: { sponsor: "S", parent: "S", side: "left" }, R: { sponsor: "S", parent: "S", side: "right" } });
const sale = (id: string, seller: string, amountMinor: bigint, orderedAt = "2026-03-10T00:00:00Z") => ({
  order: order([orderLine("line", "CREAM-50", 1, amountMinor)], { orderId: id, platformOrderId: id, orderedAt }),
  upline: chain(seller, "S"),
});

describe("what-if", () => {
  it("returns the per-order lines and the period close of a draft plan", () => {
    const result = whatIf({
      draftRules: draft,
      catalog: standardCatalog(),
      settings: EXCLUDE_SHIPPING_AND_TAX,
      orders: [sale("o1", "L", 30_000n), sale("o2", "R", 20_000n), sale("o3", "R", 5_000n, "2026-04-02T00:00:00Z")],
      period: { period: MARCH, currency: "USD", distributors },
    });
    if (!result.ok) throw new Error("expected a valid draft");
    expect(result.orders.map((evaluation) => evaluation.lines.map((line) => `${line.rule} ${line.distributorId} ${line.amountMinor}`))).toEqual([
      ["uni L 3000", "uni S 1500"],
      ["uni R 2000", "uni S 1000"],
      ["uni R 500", "uni S 250"],
    ]);
    // March only (o3 is April): legs of S are 300 / 200 points → 2 pairs = $20. S matches L's $30 and R's $20
    // (10% = $5); nobody sponsors S.
    expect(result.period?.lines.map((line) => `${line.rule} ${line.distributorId} ${line.amountMinor}`)).toEqual([
      "binary S 2000",
      "match S 300",
      "match S 200",
    ]);
    expect(result.totals).toEqual({ perOrderMinor: 8_250n, periodMinor: 2_500n });
  });

  it("returns a draft's problems by field instead of throwing", () => {
    const result = whatIf({
      draftRules: { ...draft, period: undefined },
      catalog: standardCatalog(),
      settings: EXCLUDE_SHIPPING_AND_TAX,
      orders: [],
    });
    expect(result).toEqual({ ok: false, issues: [{ path: "period", message: "is required because the plan has period components (binary, matching)" }] });
  });
});
