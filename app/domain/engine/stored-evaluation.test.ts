import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate";
import { NOTHING_REVERSED, reverseForRefund } from "../refunds/reversal";
import { evaluationFromJson, evaluationToJson, inputFromSnapshot } from "./snapshot";
import { STORED_UNILEVEL_EVALUATION } from "~test/fixtures/stored-evaluation";
import { refund } from "~test/support/engine";

describe("an evaluation stored by an earlier engine version", () => {
  const stored = evaluationFromJson(STORED_UNILEVEL_EVALUATION);

  it("parses, and its snapshot replays to the identical bytes", () => {
    expect(evaluationToJson(stored)).toBe(STORED_UNILEVEL_EVALUATION);
    expect(evaluationToJson(evaluate(inputFromSnapshot(stored.snapshot)))).toBe(STORED_UNILEVEL_EVALUATION);
  });

  it("reverses a full refund from what it stored, to exactly zero per recipient", () => {
    const reversal = reverseForRefund({
      original: stored,
      refund: refund(
        "r1",
        [
          { platformLineId: "serum", quantity: 2, subtotalMinor: 8_998n },
          { platformLineId: "kit", quantity: 1, subtotalMinor: 9_900n },
          { platformLineId: "odd", quantity: 1, subtotalMinor: 1_234n },
          // The shop counts shipping in the base (snapshot settings): a full refund gives it back too.
        ],
        { shippingMinor: 895n },
      ),
      progress: NOTHING_REVERSED,
    });
    const net = new Map<string, bigint>();
    for (const line of [...stored.lines, ...reversal.lines]) net.set(line.distributorId, (net.get(line.distributorId) ?? 0n) + line.amountMinor);
    expect(stored.lines.length).toBeGreaterThan(0);
    expect([...net.values()].every((amount) => amount === 0n)).toBe(true);
  });
});
