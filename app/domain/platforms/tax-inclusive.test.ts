import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitIncludedTax } from "./tax-inclusive";

describe("splitIncludedTax", () => {
  it("splits an 8% tax off exactly", () => {
    expect(splitIncludedTax({ quantity: 2, unitPriceGross: 2700n, discountGross: 540n, taxMinor: 360n, taxRates: ["0.08"] })).toEqual({
      unitPriceMinor: 2500n,
      discountMinor: 500n,
    });
  });

  it("keeps quantity × unit − discount equal to the exact net for any line", () => {
    const line = fc
      .record({ quantity: fc.integer({ min: 1, max: 50 }), unitPriceGross: fc.bigInt({ min: 1n, max: 10_000_000n }) })
      .chain(({ quantity, unitPriceGross }) => {
        const gross = BigInt(quantity) * unitPriceGross;
        return fc
          .bigInt({ min: 0n, max: gross - 1n })
          .chain((discountGross) =>
            fc.bigInt({ min: 0n, max: gross - discountGross }).map((taxMinor) => ({ quantity, unitPriceGross, discountGross, taxMinor })),
          );
      });
    fc.assert(
      fc.property(line, (input) => {
        const { unitPriceMinor, discountMinor } = splitIncludedTax({ ...input, taxRates: [] });
        const net = BigInt(input.quantity) * input.unitPriceGross - input.discountGross - input.taxMinor;
        expect(BigInt(input.quantity) * unitPriceMinor - discountMinor).toBe(net);
        expect(unitPriceMinor <= input.unitPriceGross).toBe(true);
      }),
    );
  });

  it("uses the rates for a fully discounted line, which has no amounts to take a ratio from", () => {
    expect(splitIncludedTax({ quantity: 1, unitPriceGross: 1190n, discountGross: 1190n, taxMinor: 0n, taxRates: [0.19] })).toEqual({
      unitPriceMinor: 1000n,
      discountMinor: 1000n,
    });
    expect(splitIncludedTax({ quantity: 2, unitPriceGross: 1070n, discountGross: 2140n, taxMinor: 0n, taxRates: ["0.05", 0.02] })).toEqual({
      unitPriceMinor: 1000n,
      discountMinor: 2000n,
    });
  });
});
