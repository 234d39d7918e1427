import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeDownlineCursor, encodeDownlineCursor, periodStartOf } from "./queries.server";

describe("downline cursor", () => {
  it("round-trips any (level, id) and refuses anything else", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_999 }), fc.uuid(), (level, distributorId) => {
        expect(decodeDownlineCursor(encodeDownlineCursor({ level, distributorId }))).toEqual({ level, distributorId });
      }),
    );
    expect(decodeDownlineCursor("garbage")).toBeNull();
    expect(decodeDownlineCursor(Buffer.from("1:'; DROP TABLE x").toString("base64url"))).toBeNull();
  });
});

describe("periodStartOf", () => {
  it("is the first day of T's UTC month", () => {
    expect(periodStartOf(new Date("2026-03-31T23:59:59.999Z")).toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(periodStartOf(new Date("2026-01-01T00:00:00Z")).toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });
});
