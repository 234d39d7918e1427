import { describe, expect, it } from "vitest";
import { planInForce } from "./plan-versions";

const versions = [
  { id: "v1", version: 1, effectiveFrom: "2026-01-01T00:00:00Z" },
  { id: "v3", version: 3, effectiveFrom: "2026-03-01T00:00:00Z" },
  { id: "v2", version: 2, effectiveFrom: "2026-02-01T00:00:00Z" },
  { id: "v2b", version: 4, effectiveFrom: "2026-02-01T00:00:00Z" },
];

describe("planInForce", () => {
  it.each([
    ["2025-12-31T23:59:59Z", null],
    ["2026-01-01T00:00:00Z", "v1"],
    ["2026-01-31T23:59:59.999Z", "v1"],
    ["2026-02-15T00:00:00Z", "v2b"], // same effectiveFrom as v2: the higher version wins
    ["2026-03-01T00:00:00Z", "v3"],
    ["2026-03-01T01:00:00+02:00", "v2b"], // 23:00 UTC the day before: compared as instants
  ])("at %s picks %s", (at, expected) => {
    expect(planInForce(versions, at)?.id ?? null).toBe(expected);
  });

  it("refuses a timestamp it cannot read", () => {
    expect(() => planInForce(versions, "yesterday")).toThrow('at: "yesterday" is not an ISO 8601 timestamp');
  });
});
