import { describe, expect, it } from "vitest";
import { evaluate } from "../engine/evaluate";
import { checkOrderRefunds } from "./refund-gaps";
import { EXCLUDE_SHIPPING_AND_TAX, chain, order, orderLine, percentRates, refund, standardCatalog, unilevelPlan } from "~test/support/engine";

// One line of 100.00 paying ana 10.00 and ben 5.00: 15.00 in all.
const original = evaluate({
  order: order([orderLine("a", "CREAM-50", 2, 5_000n)]),
  planVersion: { id: "p", version: 1, rules: unilevelPlan({ standard: percentRates("10", "5") }) },
  catalog: standardCatalog(),
  upline: chain("ana", "ben"),
  settings: EXCLUDE_SHIPPING_AND_TAX,
});
const half = refund("r1", [{ platformLineId: "a", quantity: 1, subtotalMinor: 5_000n }], { totalMinor: 5_000n });

describe("checkOrderRefunds", () => {
  it("a refund applied as its replay says leaves no gap and half the commission expected", () => {
    const check = checkOrderRefunds(
      original,
      1_500n,
      [{ key: "r1", totalMinor: 5_000n, refund: half, stored: { status: "applied", reversedMinor: -750n } }],
      false,
    );
    expect(check).toEqual({ expectedNetMinor: 750n, gaps: [] });
  });

  it("names a refund never reversed, one reversed short, and one only seen in the order payload", () => {
    const missing = checkOrderRefunds(original, 1_500n, [{ key: "r1", totalMinor: 5_000n, refund: half, stored: null }], false);
    expect(missing.gaps).toEqual([{ kind: "missing", refundKey: "r1", platformRefundedMinor: 5_000n, expectedReversalMinor: -750n, appliedReversalMinor: 0n }]);
    expect(missing.expectedNetMinor).toBe(750n);
    const short = checkOrderRefunds(
      original,
      1_500n,
      [{ key: "r1", totalMinor: 5_000n, refund: half, stored: { status: "applied", reversedMinor: -500n } }],
      false,
    );
    expect(short.gaps.map((gap) => gap.kind)).toEqual(["short"]);
    const unrecorded = checkOrderRefunds(original, 1_500n, [{ key: "r9", totalMinor: 1_000n, refund: null, stored: null }], false);
    expect(unrecorded.gaps.map((gap) => [gap.kind, gap.refundKey])).toEqual([["missing", "r9"]]);
  });

  it("an order the platform says is refunded in full must net to 0", () => {
    const check = checkOrderRefunds(
      original,
      1_500n,
      [{ key: "r1", totalMinor: 5_000n, refund: half, stored: { status: "applied", reversedMinor: -750n } }],
      true,
    );
    expect(check.expectedNetMinor).toBe(0n);
    expect(check.gaps).toEqual([
      { kind: "not_fully_reversed", refundKey: null, platformRefundedMinor: 5_000n, expectedReversalMinor: -1_500n, appliedReversalMinor: -750n },
    ]);
  });
});
