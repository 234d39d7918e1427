import { describe, expect, it } from "vitest";
import { computeCommissionBases } from "./commission-base";
import { order, orderLine } from "~test/support/engine";
import { lineVolumeHundredths } from "./volumes";

describe("commission base", () => {
  const twoLines = order([orderLine("a", "A", 1, 3_000n, 0n, 240n), orderLine("b", "B", 1, 1_000n, 0n, 80n)], {
    shippingMinor: 500n,
    taxMinor: 240n + 80n + 40n,
  });

  it.each([
    [{ includeShipping: false, includeTax: false }, [3_000n, 1_000n]],
    [{ includeShipping: true, includeTax: false }, [3_375n, 1_125n]], // 5.00 split 3:1
    [{ includeShipping: false, includeTax: true }, [3_240n, 1_080n]],
    [{ includeShipping: true, includeTax: true }, [3_645n, 1_215n]], // 5.00 + 0.40 shipping tax split 3:1
  ])("with %o is %o", (settings, bases) => {
    expect(computeCommissionBases(twoLines, settings).map((line) => line.baseMinor)).toEqual(bases);
  });

  it("counts a line discounted below zero as a zero base, and keeps the true net for the flag", () => {
    const [line] = computeCommissionBases(order([orderLine("a", "A", 1, 1_000n, 1_500n)]), { includeShipping: false, includeTax: false });
    expect(line).toMatchObject({ netMinor: -500n, baseMinor: 0n });
  });
});

describe("volumes", () => {
  it("count per unit, or one point per major unit of the net amount in the order's currency", () => {
    expect(lineVolumeHundredths({ kind: "per_unit", points: "22.5" }, 3, 0n, 100n)).toBe(6_750n);
    expect(lineVolumeHundredths({ kind: "share_of_net", percent: "80" }, 1, 2_999n, 100n)).toBe(2_399n); // 23.992
    // JPY has no minor unit: ¥1,500 at 100% is 1,500 points.
    expect(lineVolumeHundredths({ kind: "share_of_net", percent: "100" }, 1, 1_500n, 1n)).toBe(150_000n);
  });
});
