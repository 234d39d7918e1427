import { describe, expect, it } from "vitest";
import { normalizeDiscountCode } from "~/domain/attribution/discount-code";
import { parseCommissionSettings } from "./settings.server";

describe("parseCommissionSettings", () => {
  it("defaults to net-only bases and a 30-day refund window", () => {
    expect(parseCommissionSettings({})).toEqual({ includeShipping: false, includeTax: false, refundWindowDays: 30 });
    expect(parseCommissionSettings(null)).toEqual({ includeShipping: false, includeTax: false, refundWindowDays: 30 });
  });

  it("reads each key on its own, a malformed one falling back to its default", () => {
    expect(parseCommissionSettings({ includeShipping: true, includeTax: "yes", refundWindowDays: 14, referralKeys: ["ref"] })).toEqual({
      includeShipping: true,
      includeTax: false,
      refundWindowDays: 14,
    });
    expect(parseCommissionSettings({ refundWindowDays: 1.5 }).refundWindowDays).toBe(30);
    expect(parseCommissionSettings({ refundWindowDays: -1 }).refundWindowDays).toBe(30);
  });
});

describe("normalizeDiscountCode", () => {
  it("compares case-insensitively but keeps punctuation, which is part of a coupon", () => {
    expect(normalizeDiscountCode(" spring-sam ")).toBe("SPRING-SAM");
    expect(normalizeDiscountCode("ＳＡＭ１０")).toBe("SAM10");
    expect(normalizeDiscountCode("   ")).toBeNull();
  });
});
