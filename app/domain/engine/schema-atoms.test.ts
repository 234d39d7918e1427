import { describe, expect, it } from "vitest";
import { percentTextSchema } from "./schema-atoms";

describe("percentTextSchema", () => {
  it.each(["NaN", "-5", "1e3", "6%", "", " 5", "Infinity"])("refuses %j with a field error instead of throwing", (text) => {
    const result = percentTextSchema.safeParse(text);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.message)).toEqual(['must be a decimal string such as "12.5" (at most 6 decimals)']);
  });

  it("accepts 0 to 100 with up to six decimals, and refuses more than 100", () => {
    expect(["0", "12.5", "100", "99.999999"].map((text) => percentTextSchema.safeParse(text).success)).toEqual([true, true, true, true]);
    expect(percentTextSchema.safeParse("100.000001").error!.issues.map((issue) => issue.message)).toEqual(["must not exceed 100"]);
  });
});
