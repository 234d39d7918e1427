import { describe, expect, it } from "vitest";
import { nextScheduledPayout } from "./next-payout";

describe("nextScheduledPayout", () => {
  it("weekly: the next Monday 00:00 UTC, a week ahead on a Monday itself", () => {
    expect(nextScheduledPayout("weekly", new Date("2026-12-05T11:00:00Z"))?.toISOString()).toBe("2026-12-07T00:00:00.000Z"); // Saturday
    expect(nextScheduledPayout("weekly", new Date("2026-12-06T23:59:59Z"))?.toISOString()).toBe("2026-12-07T00:00:00.000Z"); // Sunday
    expect(nextScheduledPayout("weekly", new Date("2026-12-07T00:00:00Z"))?.toISOString()).toBe("2026-12-14T00:00:00.000Z"); // Monday
  });

  it("monthly: the 1st of the next month, across the year end; manual: none", () => {
    expect(nextScheduledPayout("monthly", new Date("2026-12-05T11:00:00Z"))?.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(nextScheduledPayout("monthly", new Date("2026-01-31T23:00:00Z"))?.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    expect(nextScheduledPayout("manual", new Date("2026-12-05T11:00:00Z"))).toBeNull();
  });
});
