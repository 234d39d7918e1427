import { describe, expect, it } from "vitest";
import { periodSpans } from "./calendar.server";

const v = (effectiveFrom: string, schedule: "weekly" | "monthly" | null) => ({ effectiveFrom: new Date(effectiveFrom), schedule });
const spans = (versions: ReturnType<typeof v>[], after: string | null, until: string) =>
  periodSpans(versions, after ? new Date(after) : null, new Date(until)).map((span) => [
    span.key,
    span.startsAt.toISOString().slice(0, 10),
    span.endsAt.toISOString().slice(0, 10),
  ]);

describe("periodSpans (UTC calendar periods from the plan versions' schedules)", () => {
  it("cuts months from the 1st of the first scheduled version's month, up to the periods that have started", () => {
    expect(spans([v("2026-01-15T00:00:00Z", "monthly")], null, "2026-03-01T00:00:00Z")).toEqual([
      ["2026-01", "2026-01-01", "2026-02-01"],
      ["2026-02", "2026-02-01", "2026-03-01"],
    ]);
  });

  it("cuts ISO weeks Monday to Monday, continuing after the latest existing period", () => {
    expect(spans([v("2026-01-01T00:00:00Z", "weekly")], "2026-03-02T00:00:00Z", "2026-03-10T00:00:00Z")).toEqual([
      ["2026-W10", "2026-03-02", "2026-03-09"],
      ["2026-W11", "2026-03-09", "2026-03-16"],
    ]);
  });

  it("a schedule change ends the running period at the new version's start: no overlap, no gap", () => {
    expect(spans([v("2026-01-01T00:00:00Z", "monthly"), v("2026-02-11T00:00:00Z", "weekly")], null, "2026-02-17T00:00:00Z")).toEqual([
      ["2026-01", "2026-01-01", "2026-02-01"],
      ["2026-02", "2026-02-01", "2026-02-11"],
      ["2026-W07", "2026-02-11", "2026-02-16"],
      ["2026-W08", "2026-02-16", "2026-02-23"],
    ]);
  });

  it("a version without a schedule has no periods until a scheduled one starts", () => {
    expect(spans([v("2026-01-01T00:00:00Z", null), v("2026-03-01T00:00:00Z", "monthly")], null, "2026-04-01T00:00:00Z")).toEqual([
      ["2026-03", "2026-03-01", "2026-04-01"],
    ]);
    expect(spans([v("2026-01-01T00:00:00Z", null)], null, "2026-04-01T00:00:00Z")).toEqual([]);
  });
});
