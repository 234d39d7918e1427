/**
 * Properties over random trees, plans and orders (fast-check).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { divideRoundHalfEven } from "../money";
import { percentToRatio } from "./decimal";
import type { PlanComponent, UnilevelComponent } from "./plan-schema";
import { evaluate } from "./evaluate";
import { NOTHING_REVERSED, reversalEntryKey, reverseForRefund, type ReversalResult } from "../refunds/reversal";
import { evaluationToJson, inputFromSnapshot } from "./snapshot";
import { evaluationInputArbitrary, fullRefundInParts, planArbitrary, refundSplitArbitrary, sumBy, uplineArbitrary } from "~test/support/engine";
import type { EvaluationInput, EvaluationResult, UplineNode } from "./types";

const RUNS = { numRuns: 300 };

function applyRefunds(original: EvaluationResult, input: EvaluationInput, cuts: number[][]): ReversalResult[] {
  const results: ReversalResult[] = [];
  let progress = NOTHING_REVERSED;
  for (const refund of fullRefundInParts(input.order, cuts)) {
    const result = reverseForRefund({ original, refund, progress });
    results.push(result);
    progress = result.progress;
  }
  return results;
}

/** The random plans are unilevel only. */
function unilevel(component: PlanComponent): UnilevelComponent {
  if (component.type !== "unilevel") throw new Error(`unexpected ${component.type} component`);
  return component;
}

/** The exact award as a rational, rounded up: the most one (line × level) may ever pay. */
function ceilingOfAward(input: EvaluationInput, result: EvaluationResult, componentIndex: number, lineIndex: number): bigint {
  const component = input.planVersion.rules.components[componentIndex]!;
  const line = result.orderLines[lineIndex]!;
  let bound = 0n;
  for (const rate of unilevel(component).rates?.[line.classId] ?? []) {
    if (rate.kind === "fixed_per_unit") {
      if (rate.currency === result.currency) bound += BigInt(rate.amountMinor) * BigInt(line.quantity);
    } else if (rate.kind === "percent") {
      const ratio = percentToRatio(rate.percent);
      const product = line.baseMinor * ratio.numerator;
      bound += (product + ratio.denominator - 1n) / ratio.denominator;
    }
  }
  return bound;
}

describe("engine properties", () => {
  it("is deterministic: the same input (even a deep copy) gives byte-identical output", () => {
    fc.assert(
      fc.property(evaluationInputArbitrary, (input) => {
        const first = evaluationToJson(evaluate(input));
        expect(evaluationToJson(evaluate(input))).toBe(first);
        expect(evaluationToJson(evaluate(structuredClone(input)))).toBe(first);
      }),
      RUNS,
    );
  });

  it("replays from its snapshot, which is plain JSON, to the same result", () => {
    fc.assert(
      fc.property(evaluationInputArbitrary, (input) => {
        const result = evaluate(input);
        const storedSnapshot = JSON.parse(JSON.stringify(result.snapshot));
        expect(evaluationToJson(evaluate(inputFromSnapshot(storedSnapshot)))).toBe(evaluationToJson(result));
      }),
      RUNS,
    );
  });

  it("never pays more than the plan's rates of the commissionable base (≤ the ceiling per line per recipient)", () => {
    fc.assert(
      fc.property(evaluationInputArbitrary, (input) => {
        const result = evaluate(input);
        input.planVersion.rules.components.forEach((component, componentIndex) => {
          result.orderLines.forEach((line, lineIndex) => {
            const paidOnLine = result.lines
              .filter((paid) => paid.rule === component.id && paid.orderLineId === line.orderLineId)
              .reduce((sum, paid) => sum + paid.amountMinor, 0n);
            expect(paidOnLine).toBeLessThanOrEqual(ceilingOfAward(input, result, componentIndex, lineIndex));
          });
        });
        for (const line of result.lines) expect(line.amountMinor).toBeGreaterThan(0n);
      }),
      RUNS,
    );
  });

  it("accounts for every level: paid + breakage = the rounded award of every level the plan defines", () => {
    fc.assert(
      fc.property(evaluationInputArbitrary, (input) => {
        const result = evaluate(input);
        let expected = 0n;
        for (const component of input.planVersion.rules.components) {
          for (const line of result.orderLines) {
            for (const rate of unilevel(component).rates?.[line.classId] ?? []) {
              if (rate.kind === "fixed_per_unit") {
                if (rate.currency === result.currency) expected += BigInt(rate.amountMinor) * BigInt(line.quantity);
              } else if (rate.kind === "percent") {
                const ratio = percentToRatio(rate.percent);
                expected += divideRoundHalfEven(line.baseMinor * ratio.numerator, ratio.denominator);
              }
            }
          }
        }
        expect(result.totals.paidMinor + result.totals.breakageMinor).toBe(expected);
      }),
      RUNS,
    );
  });

  it("never pays an inactive or terminated distributor, and dynamic compression hands levels to active uplines in order", () => {
    fc.assert(
      fc.property(evaluationInputArbitrary, (input) => {
        const result = evaluate(input);
        const statusOf = new Map(input.upline.map((node) => [node.distributorId, node.status]));
        for (const line of result.lines) expect(statusOf.get(line.distributorId)).toBe("active");
        const active = input.upline.filter((node) => node.status === "active").map((node) => node.distributorId);
        input.planVersion.rules.components.map(unilevel).forEach((component, index) => {
          const levels = result.components[index]!.levels;
          const expected =
            component.compression === "dynamic"
              ? active.slice(0, component.maxDepth)
              : input.upline.slice(0, component.maxDepth).map((node) => node.distributorId);
          expect(levels.filter((level) => level.distributorId !== null).map((level) => level.distributorId)).toEqual(expected);
        });
      }),
      RUNS,
    );
  });

  it("a full refund, also split into random partial refunds, nets every recipient to exactly 0 without ever over-reversing", () => {
    fc.assert(
      fc.property(evaluationInputArbitrary, refundSplitArbitrary, (input, cuts) => {
        const original = evaluate(input);
        const originalByEntry = new Map(original.lines.map((line) => [reversalEntryKey(line), line.amountMinor]));
        const reversedByEntry = new Map<string, bigint>();
        for (const reversal of applyRefunds(original, input, cuts)) {
          for (const line of reversal.lines) {
            expect(line.amountMinor).toBeLessThan(0n);
            const key = reversalEntryKey(line);
            const total = (reversedByEntry.get(key) ?? 0n) - line.amountMinor;
            reversedByEntry.set(key, total);
            // Cumulative reversals never exceed what was paid.
            expect(total).toBeLessThanOrEqual(originalByEntry.get(key)!);
          }
        }
        for (const [key, amount] of originalByEntry) expect(reversedByEntry.get(key) ?? 0n).toBe(amount);
        const reversals = applyRefunds(original, input, cuts).flatMap((reversal) => reversal.lines);
        const net = sumBy(
          [...original.lines, ...reversals],
          (line) => line.distributorId,
          (line) => line.amountMinor,
        );
        for (const amount of net.values()) expect(amount).toBe(0n);
      }),
      RUNS,
    );
  });

  it("reverses from the stored evaluation: changing the tree or the plan afterwards changes nothing already computed", () => {
    fc.assert(
      fc.property(evaluationInputArbitrary, refundSplitArbitrary, uplineArbitrary, planArbitrary, (input, cuts, otherUpline, otherPlan) => {
        const upline = input.upline.map((node) => ({ ...node }));
        const liveInput = { ...input, upline };
        const original = evaluate(liveInput);
        const storedJson = evaluationToJson(original);
        const reversedBefore = applyRefunds(original, input, cuts);

        // Today's tree: everyone changes status, the chain is replaced; today's plan is another one.
        for (const node of upline as { -readonly [K in keyof UplineNode]: UplineNode[K] }[]) node.status = "terminated";
        upline.splice(0, upline.length, ...otherUpline);
        const today = evaluate({ ...liveInput, planVersion: { id: "plan-2", version: 2, rules: otherPlan } });
        expect(today.snapshot.planVersion.id).toBe("plan-2");

        expect(evaluationToJson(original)).toBe(storedJson);
        expect(evaluationToJson(evaluate(inputFromSnapshot(original.snapshot)))).toBe(storedJson);
        const reversedAfter = applyRefunds(original, input, cuts);
        expect(reversedAfter.map((reversal) => reversal.lines)).toEqual(reversedBefore.map((reversal) => reversal.lines));
      }),
      { numRuns: 150 },
    );
  });
});
