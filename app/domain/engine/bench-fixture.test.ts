import { describe, expect, it } from "vitest";
import { BENCH_LEVELS, BENCH_ORDER_LINES, buildBenchInput, runEngineMicroBench } from "./bench-fixture";
import { evaluate } from "./evaluate";

describe("engine micro benchmark", () => {
  it("uses a 10-level plan on a 5-line order that pays every level", () => {
    const result = evaluate(buildBenchInput());
    expect(result.lines).toHaveLength(BENCH_LEVELS * BENCH_ORDER_LINES);
  });

  it("evaluates at least 50,000 orders per second", () => {
    // Best of three short runs: the floor is about the engine, not about a neighbour stealing the CPU.
    const best = Math.max(...[0, 1, 2].map(() => runEngineMicroBench({ durationMs: 250 }).evaluationsPerSecond));
    expect(best).toBeGreaterThanOrEqual(50_000);
  });
});
