import { describe, expect, it } from "vitest";
import { EngineInputError } from "../engine/errors";
import { evaluate } from "../engine/evaluate";
import { NOTHING_REVERSED, reverseForRefund } from "./reversal";
import { evaluationFromJson, evaluationToJson } from "../engine/snapshot";
import { EXCLUDE_SHIPPING_AND_TAX, chain, order, orderLine, refund, standardCatalog, unilevelPlan, percentRates } from "~test/support/engine";

const original = evaluate({
  order: order([
    orderLine("a", "CREAM-50", 3, 3_333n),
    // A free kit still pays a fixed amount per unit: its reversal goes by quantity.
    orderLine("kit", "STARTER-KIT", 2, 5_000n, 10_000n),
  ]),
  planVersion: {
    id: "p",
    version: 1,
    rules: unilevelPlan({ standard: percentRates("10", "5"), kits: [{ kind: "fixed_per_unit", amountMinor: "700", currency: "USD" }] }),
  },
  catalog: standardCatalog(),
  upline: chain("ana", "ben"),
  settings: EXCLUDE_SHIPPING_AND_TAX,
});

describe("reverseForRefund", () => {
  it("applies a refund id once: a retried refund reverses nothing more", () => {
    const once = reverseForRefund({ original, refund: refund("r1", [{ platformLineId: "a", quantity: 1, subtotalMinor: 3_333n }]), progress: NOTHING_REVERSED });
    const again = reverseForRefund({ original, refund: refund("r1", [{ platformLineId: "a", quantity: 1, subtotalMinor: 3_333n }]), progress: once.progress });
    expect(once.lines.map((line) => line.amountMinor)).toEqual([-333n, -167n]); // of 1000 and 500, one third
    expect(again.lines).toEqual([]);
    expect(again.flags).toEqual([{ type: "refund_already_applied" }]);
    expect(again.progress).toBe(once.progress);
  });

  it("reverses a line with no net amount by quantity", () => {
    const half = reverseForRefund({ original, refund: refund("r1", [{ platformLineId: "kit", quantity: 1, subtotalMinor: 0n }]), progress: NOTHING_REVERSED });
    expect(half.lines.map((line) => [line.distributorId, line.amountMinor])).toEqual([["ana", -700n]]);
    expect(half.refundedLines[0]).toMatchObject({ lineNetMinor: 0n, fullyRefunded: false });
  });

  it("caps over-refunds at the line's net amount and flags them", () => {
    const over = reverseForRefund({ original, refund: refund("r1", [{ platformLineId: "a", quantity: 3, subtotalMinor: 20_000n }]), progress: NOTHING_REVERSED });
    expect(over.lines.map((line) => line.amountMinor)).toEqual([-1_000n, -500n]);
    expect(over.flags).toEqual([{ type: "refund_exceeds_line", orderLineId: "a", cumulativeRefundedMinor: 20_000n, lineNetMinor: 9_999n }]);
  });

  it("flags a refund line the order does not have and reverses the rest", () => {
    const result = reverseForRefund({
      original,
      refund: refund("r1", [
        { platformLineId: "ghost", quantity: 1, subtotalMinor: 100n },
        { platformLineId: "a", quantity: 3, subtotalMinor: 9_999n },
      ]),
      progress: NOTHING_REVERSED,
    });
    expect(result.flags).toEqual([{ type: "unknown_refund_line", orderLineId: "ghost" }]);
    expect(result.lines).toHaveLength(2);
  });

  it("keeps progress as sorted plain JSON that can be stored and passed back", () => {
    const first = reverseForRefund({ original, refund: refund("r1", [{ platformLineId: "a", quantity: 1, subtotalMinor: 1_000n }]), progress: NOTHING_REVERSED });
    const stored = JSON.parse(JSON.stringify(first.progress));
    expect(stored).toEqual({
      appliedRefundIds: ["r1"],
      refundedSubtotalMinor: { a: "1000" },
      refundedQuantity: { a: 1 },
      reversedMinor: { "unilevel:a:1:ana": "100", "unilevel:a:2:ben": "50" },
    });
    const second = reverseForRefund({ original: evaluationFromJson(evaluationToJson(original)), refund: refund("r2", [{ platformLineId: "a", quantity: 2, subtotalMinor: 8_999n }]), progress: stored });
    expect(second.lines.map((line) => line.amountMinor)).toEqual([-900n, -450n]);
  });

  it("refuses a refund in another currency or of another order", () => {
    expect(() => reverseForRefund({ original, refund: refund("r1", [], { currency: "EUR" }), progress: NOTHING_REVERSED })).toThrow(EngineInputError);
    expect(() => reverseForRefund({ original, refund: refund("r1", [], { platformOrderId: "9" }), progress: NOTHING_REVERSED })).toThrow("refund.platformOrderId");
  });
});
