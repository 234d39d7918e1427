import { describe, expect, it } from "vitest";
import { hundredthsToPoints } from "./volumes";

describe("hundredthsToPoints", () => {
  it("writes hundredths of a point as exact decimal text", () => {
    expect(hundredthsToPoints(0n)).toBe("0.00");
    expect(hundredthsToPoints(5n)).toBe("0.05");
    expect(hundredthsToPoints(1250n)).toBe("12.50");
    expect(hundredthsToPoints(39_800n)).toBe("398.00");
    expect(hundredthsToPoints(-5n)).toBe("-0.05");
    expect(hundredthsToPoints(123_456_789_012_345_678n)).toBe("1234567890123456.78");
  });
});
