import { describe, expect, it } from "vitest";
import { isoWeek, scheduleSlotKey } from "./schedule";

describe("scheduleSlotKey", () => {
  it("names ISO weeks: a Monday starts one, the Sunday before ends the previous", () => {
    expect(scheduleSlotKey("weekly", new Date("2026-11-30T00:00:00Z"))).toBe("weekly:2026-W49");
    expect(scheduleSlotKey("weekly", new Date("2026-12-06T23:59:59Z"))).toBe("weekly:2026-W49");
    expect(scheduleSlotKey("weekly", new Date("2026-11-29T23:59:59Z"))).toBe("weekly:2026-W48");
  });

  it("takes the week-numbering year at the turn of the year (ISO 8601: the week of its Thursday)", () => {
    expect(isoWeek(new Date("2027-01-01T12:00:00Z"))).toEqual({ year: 2026, week: 53 });
    expect(isoWeek(new Date("2025-12-29T00:00:00Z"))).toEqual({ year: 2026, week: 1 });
    expect(isoWeek(new Date("2024-12-30T00:00:00Z"))).toEqual({ year: 2025, week: 1 });
  });

  it("names UTC months, and nothing for a manual schedule", () => {
    expect(scheduleSlotKey("monthly", new Date("2026-12-31T23:59:59Z"))).toBe("monthly:2026-12");
    expect(scheduleSlotKey("monthly", new Date("2027-01-01T00:00:00Z"))).toBe("monthly:2027-01");
    expect(scheduleSlotKey("manual", new Date("2027-01-01T00:00:00Z"))).toBeNull();
  });
});
