import { describe, expect, it } from "vitest";
import { carryFromJson, carryToJson, NO_CARRY } from "./period-state.server";

describe("the carry one close hands to the next", () => {
  it("round-trips binary lots and deferred payouts exactly, bigints included", () => {
    const carry = {
      binary: [
        {
          rule: "binary",
          distributorId: "d1",
          left: [
            { periodKey: "2026-02", hundredths: 12_345_678_901_234_567n },
            { periodKey: "2026-03", hundredths: 1n },
          ],
          right: [],
          hasPaired: true,
        },
      ],
      deferredPayouts: [{ distributorId: "d2", amountMinor: 999n }],
    };
    expect(carryFromJson(carryToJson(carry))).toEqual(carry);
  });

  it("a first close starts from nothing", () => {
    expect(carryFromJson(null)).toBe(NO_CARRY);
  });
});
