import { describe, expect, it } from "vitest";
import { nextPeriod, periodContaining } from "./calendar";

describe("period calendar (UTC, half-open)", () => {
  it("months run from the 1st to the next 1st", () => {
    expect(periodContaining("monthly", "2026-12-31T23:59:59Z")).toEqual({
      key: "2026-12",
      schedule: "monthly",
      start: "2026-12-01T00:00:00.000Z",
      end: "2027-01-01T00:00:00.000Z",
    });
    expect(nextPeriod(periodContaining("monthly", "2026-12-15T00:00:00Z")).key).toBe("2027-01");
  });

  it("weeks run Monday to Monday and are keyed by ISO week", () => {
    // 2026-03-01 is a Sunday: it closes ISO week 9, which started Monday 2026-02-23.
    expect(periodContaining("weekly", "2026-03-01T12:00:00Z")).toEqual({
      key: "2026-W09",
      schedule: "weekly",
      start: "2026-02-23T00:00:00.000Z",
      end: "2026-03-02T00:00:00.000Z",
    });
    // 2027-01-01 is a Friday: ISO week 53 of 2026.
    expect(periodContaining("weekly", "2027-01-01T00:00:00Z").key).toBe("2026-W53");
    expect(periodContaining("weekly", "2026-01-01T00:00:00Z").key).toBe("2026-W01");
  });
});
