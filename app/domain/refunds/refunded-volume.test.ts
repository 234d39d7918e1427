import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { divideRoundHalfEven } from "../money";
import { refundedVolume } from "./refunded-volume";

const line = (pv: bigint, netMinor: bigint, quantity = 1) => ({
  orderLineId: "L1",
  quantity,
  netMinor,
  pvHundredths: pv,
  cvHundredths: pv * 2n,
  baseMinor: netMinor,
});

/** The refunded-line summaries the reversal writes for a sequence of refunds of one line. */
function refunds(netMinor: bigint, pieces: readonly bigint[]) {
  let cumulative = 0n;
  return pieces.map((piece) => {
    cumulative += piece;
    return { orderLineId: "L1", refundedSubtotalMinor: piece, refundedQuantity: 0, cumulativeRefundedMinor: cumulative, lineNetMinor: netMinor };
  });
}

describe("refundedVolume", () => {
  it("takes back the refunded share of the line's volume: 1 of 3 units of a 199.00 × 3 line with 597 PV", () => {
    // 199.00 of 597.00 refunded: 59700 × 19900 / 59700 = 19900 hundredths (199 points), base 199.00.
    const [first] = refunds(59_700n, [19_900n]);
    expect(refundedVolume([line(59_700n, 59_700n, 3)], [first!], {})).toEqual({ pvHundredths: 19_900n, cvHundredths: 39_800n, baseMinor: 19_900n });
  });

  it("rounds each cumulative target half-even once: 3 refunds of a third take back exactly the whole volume", () => {
    const steps = refunds(300n, [100n, 100n, 100n]).map((refunded) => refundedVolume([line(1_000n, 300n)], [refunded], {}).pvHundredths);
    // 1000/3 = 333.3 → 333; 666.6 → 667 (so 334); 1000 (so 333).
    expect(steps).toEqual([333n, 334n, 333n]);
  });

  it("goes by quantity for a line whose net amount was zero", () => {
    const refunded = { orderLineId: "L1", refundedSubtotalMinor: 0n, refundedQuantity: 1, cumulativeRefundedMinor: 0n, lineNetMinor: 0n };
    expect(refundedVolume([line(500n, 0n, 2)], [refunded], { L1: 1 }).pvHundredths).toBe(250n);
  });

  it("property: any split of refunds takes back round(pv × refunded / net) in total, and the whole volume once fully refunded", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10_000_000n }),
        fc.bigInt({ min: 1n, max: 1_000_000n }),
        fc.array(fc.bigInt({ min: 0n, max: 400_000n }), { minLength: 1, maxLength: 8 }),
        (pv, net, pieces) => {
          const total = refunds(net, pieces)
            .map((refunded) => refundedVolume([line(pv, net)], [refunded], {}).pvHundredths)
            .reduce((sum, step) => {
              expect(step).toBeGreaterThanOrEqual(0n);
              return sum + step;
            }, 0n);
          const refunded = pieces.reduce((sum, piece) => sum + piece, 0n);
          expect(total).toBe(divideRoundHalfEven(pv * (refunded < net ? refunded : net), net));
          if (refunded >= net) expect(total).toBe(pv);
        },
      ),
    );
  });
});
