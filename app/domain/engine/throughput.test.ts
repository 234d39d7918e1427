import { describe, expect, it } from "vitest";
import { BENCH_LEVELS, BENCH_ORDER_LINES, buildBenchInput, runEngineMicroBench } from "~test/fixtures/engine-bench";
import { evaluate } from "./evaluate";

describe("engine micro benchmark", () => {
  it("uses a 10-level plan on a 5-line order that pays every level", () => {
    const result = evaluate(buildBenchInput());
    expect(result.lines).toHaveLength(BENCH_LEVELS * BENCH_ORDER_LINES);
  });

  // The target (≥ 50,000/s) is measured by `npm run bench -- engine` on a quiet machine. This floor is a
  // regression guard that must also hold while the test suite loads both cores: it catches an engine that
  // became several times slower, not a neighbour stealing the CPU. Best of three short runs.
  it("evaluates at least 20,000 orders per second even on a busy machine", () => {
    const best = Math.max(...[0, 1, 2].map(() => runEngineMicroBench({ durationMs: 250 }).evaluationsPerSecond));
    expect(best).toBeGreaterThanOrEqual(20_000);
  });
});
