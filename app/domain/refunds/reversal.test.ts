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
    const once = reverseForRefund({
      original,
      refund: refund("r1", [{ platformLineId: "a", quantity: 1, subtotalMinor: 3_333n }]),
      progress: NOTHING_REVERSED,
    });
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
    const over = reverseForRefund({
      original,
      refund: refund("r1", [{ platformLineId: "a", quantity: 3, subtotalMinor: 20_000n }]),
      progress: NOTHING_REVERSED,
    });
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
    const first = reverseForRefund({
      original,
      refund: refund("r1", [{ platformLineId: "a", quantity: 1, subtotalMinor: 1_000n }]),
      progress: NOTHING_REVERSED,
    });
    const stored = JSON.parse(JSON.stringify(first.progress));
    expect(stored).toEqual({
      appliedRefundIds: ["r1"],
      refundedSubtotalMinor: { a: "1000" },
      refundedQuantity: { a: 1 },
      reversedMinor: { "unilevel:a:1:ana": "100", "unilevel:a:2:ben": "50" },
      refundedBaseMinor: { a: "1000" },
      refundedPaidMinor: "1000",
    });
    const second = reverseForRefund({
      original: evaluationFromJson(evaluationToJson(original)),
      refund: refund("r2", [{ platformLineId: "a", quantity: 2, subtotalMinor: 8_999n }]),
      progress: stored,
    });
    expect(second.lines.map((line) => line.amountMinor)).toEqual([-900n, -450n]);
  });

  it("refuses a refund in another currency or of another order", () => {
    expect(() => reverseForRefund({ original, refund: refund("r1", [], { currency: "EUR" }), progress: NOTHING_REVERSED })).toThrow(EngineInputError);
    expect(() => reverseForRefund({ original, refund: refund("r1", [], { platformOrderId: "9" }), progress: NOTHING_REVERSED })).toThrow(
      "refund.platformOrderId",
    );
  });
});

describe("reverseForRefund: a free line paying a fixed amount per unit, refunded by an amount that names no line", () => {
  // The order above: line a 99.99 (10 % / 5 %: ana 10.00, ben 5.00), the free kit 2 × 7.00 to ana. The buyer paid 99.99.
  const lines = (result: { lines: readonly { orderLineId: string; amountMinor: bigint }[] }) =>
    result.lines.map((line) => [line.orderLineId, line.amountMinor]);

  it("the whole amount takes back the kit's commission too (it used to stay paid)", () => {
    const all = reverseForRefund({ original, refund: refund("r1", [], { unattributedMinor: 9_999n }), progress: NOTHING_REVERSED });
    expect(lines(all)).toEqual([
      ["a", -1_000n],
      ["a", -500n],
      ["kit", -1_400n],
    ]);
  });

  it("half the amount takes back half of it, by the money refunded", () => {
    const half = reverseForRefund({ original, refund: refund("r1", [], { unattributedMinor: 5_000n }), progress: NOTHING_REVERSED });
    // 50.00 / 99.99 of 14.00 is 7.0007: 7.00.
    expect(lines(half)).toEqual([
      ["a", -500n],
      ["a", -250n],
      ["kit", -700n],
    ]);
  });

  it("a line refund, then the rest of the money as an amount only, nets every line to 0", () => {
    const twoLines = evaluate({
      // Line a carries tax, b none, and 20.00 shipping: the old rule took back only 300 × 400 / 450 of b's 300.
      order: order([orderLine("a", "CREAM-50", 1, 10_000n, 0n, 3_000n), orderLine("b", "CREAM-50", 1, 30_000n)], { shippingMinor: 2_000n }),
      planVersion: { id: "p", version: 1, rules: unilevelPlan({ standard: percentRates("10", "5"), kits: percentRates("0") }) },
      catalog: standardCatalog(),
      upline: chain("ana", "ben"),
      settings: EXCLUDE_SHIPPING_AND_TAX,
    });
    const first = reverseForRefund({
      original: twoLines,
      refund: refund("r1", [{ platformLineId: "a", quantity: 1, subtotalMinor: 10_000n, taxMinor: 3_000n }]),
      progress: NOTHING_REVERSED,
    });
    const rest = reverseForRefund({ original: twoLines, refund: refund("r2", [], { unattributedMinor: 32_000n }), progress: first.progress });
    expect([...lines(first), ...lines(rest)]).toEqual([
      ["a", -1_000n],
      ["a", -500n],
      ["b", -3_000n],
      ["b", -1_500n],
    ]);
  });
});

describe("reverseForRefund: amounts that name no line, shipping, tax (the rule in the module doc)", () => {
  // Two lines, 100.00 and 300.00, 20.00 shipping: the buyer paid 420.00. 10 % / 5 % to ana / ben.
  const twoLines = (settings = EXCLUDE_SHIPPING_AND_TAX) =>
    evaluate({
      order: order([orderLine("a", "CREAM-50", 1, 10_000n), orderLine("b", "CREAM-50", 1, 30_000n)], { shippingMinor: 2_000n }),
      planVersion: { id: "p", version: 1, rules: unilevelPlan({ standard: percentRates("10", "5"), kits: percentRates("0") }) },
      catalog: standardCatalog(),
      upline: chain("ana", "ben"),
      settings,
    });
  const amounts = (result: { lines: readonly { distributorId: string; orderLineId: string; amountMinor: bigint }[] }) =>
    result.lines.map((line) => [line.distributorId, line.orderLineId, line.amountMinor]);

  it("reverses an amount-only refund by the share of what the buyer paid: 42.00 of 420.00 takes back 10 %", () => {
    const result = reverseForRefund({ original: twoLines(), refund: refund("r1", [], { unattributedMinor: 4_200n }), progress: NOTHING_REVERSED });
    expect(amounts(result)).toEqual([
      ["ana", "a", -100n],
      ["ben", "a", -50n],
      ["ana", "b", -300n],
      ["ben", "b", -150n],
    ]);
  });

  it("caps an amount-only refund by what is still unreversed, spread over what is left of each line", () => {
    const first = reverseForRefund({
      original: twoLines(),
      refund: refund("r1", [{ platformLineId: "a", quantity: 1, subtotalMinor: 10_000n }]),
      progress: NOTHING_REVERSED,
    });
    const rest = reverseForRefund({ original: twoLines(), refund: refund("r2", [], { unattributedMinor: 99_999n }), progress: first.progress });
    expect(amounts(rest)).toEqual([
      ["ana", "b", -3_000n],
      ["ben", "b", -1_500n],
    ]);
    const more = reverseForRefund({ original: twoLines(), refund: refund("r3", [], { unattributedMinor: 1_000n }), progress: rest.progress });
    expect(more.lines).toEqual([]);
  });

  it("with shipping in the base, a shipping refund takes back the shipping share; a cancellation then nets every line to 0", () => {
    const original = twoLines({ includeShipping: true, includeTax: false });
    expect(original.lines.map((line) => line.amountMinor)).toEqual([1_050n, 525n, 3_150n, 1_575n]);
    const shipping = reverseForRefund({ original, refund: refund("r1", [], { shippingMinor: 2_000n }), progress: NOTHING_REVERSED });
    expect(amounts(shipping)).toEqual([
      ["ana", "a", -50n],
      ["ben", "a", -25n],
      ["ana", "b", -150n],
      ["ben", "b", -75n],
    ]);
    const cancel = reverseForRefund({ original, refund: { ...refund("cancellation", []), remainder: true }, progress: shipping.progress });
    expect(amounts(cancel)).toEqual([
      ["ana", "a", -1_000n],
      ["ben", "a", -500n],
      ["ana", "b", -3_000n],
      ["ben", "b", -1_500n],
    ]);
  });

  it("without shipping in the base, a shipping refund reverses nothing", () => {
    expect(reverseForRefund({ original: twoLines(), refund: refund("r1", [], { shippingMinor: 2_000n }), progress: NOTHING_REVERSED }).lines).toEqual([]);
  });

  it("with tax in the base, a line's refunded tax is reversed with it", () => {
    const original = evaluate({
      order: order([orderLine("a", "CREAM-50", 1, 10_000n, 0n, 2_000n)]),
      planVersion: { id: "p", version: 1, rules: unilevelPlan({ standard: percentRates("10"), kits: percentRates("0") }) },
      catalog: standardCatalog(),
      upline: chain("ana"),
      settings: { includeShipping: false, includeTax: true },
    });
    const half = reverseForRefund({
      original,
      refund: { ...refund("r1", []), lines: [{ platformLineId: "a", quantity: 1, subtotalMinor: 5_000n, taxMinor: 1_000n }] },
      progress: NOTHING_REVERSED,
    });
    expect(amounts(half)).toEqual([["ana", "a", -600n]]);
  });
});
