import { describe, expect, it } from "vitest";
import { normalizeDiscountCode } from "~/domain/attribution/discount-code";
import { commissionChangesOf, commissionSettingsPatchSchema, parseCommissionSettings } from "./settings.server";

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

describe("dated commission changes", () => {
  const change = (effectiveFrom: string, patch: Record<string, unknown>) => ({
    ...patch,
    effectiveFrom,
    changedBy: "api:t",
    changedAt: "2026-01-01T00:00:00.000Z",
  });
  const settings = {
    includeShipping: false,
    refundWindowDays: 30,
    commissionChanges: [
      change("2026-05-01T00:00:00.000Z", { includeTax: true }),
      change("2026-03-01T00:00:00.000Z", { includeShipping: true, refundWindowDays: 14 }),
      change("2026-05-01T00:00:00.000Z", { refundWindowDays: 7 }),
      { effectiveFrom: "not a date", includeTax: false },
    ],
  };

  it("gives an order the settings in force at its own time, changes folded in effective order", () => {
    expect(parseCommissionSettings(settings, new Date("2026-02-28T23:59:59.999Z"))).toEqual({
      includeShipping: false,
      includeTax: false,
      refundWindowDays: 30,
    });
    expect(parseCommissionSettings(settings, new Date("2026-03-01T00:00:00.000Z"))).toEqual({ includeShipping: true, includeTax: false, refundWindowDays: 14 });
    expect(parseCommissionSettings(settings, new Date("2026-06-01T00:00:00.000Z"))).toEqual({ includeShipping: true, includeTax: true, refundWindowDays: 7 });
  });

  it("a patch keeps only the keys it names (no defaults filled in to reset the others)", () => {
    expect(commissionSettingsPatchSchema.parse({ includeShipping: true })).toEqual({ includeShipping: true });
    const base = { includeShipping: true, refundWindowDays: 14, commissionChanges: [change("2026-03-01T00:00:00.000Z", { includeTax: true })] };
    expect(parseCommissionSettings(base, new Date("2026-04-01T00:00:00Z"))).toEqual({ includeShipping: true, includeTax: true, refundWindowDays: 14 });
  });

  it("lists the well-formed changes only, oldest effective first", () => {
    expect(commissionChangesOf(settings).map((entry) => entry.effectiveFrom)).toEqual([
      "2026-03-01T00:00:00.000Z",
      "2026-05-01T00:00:00.000Z",
      "2026-05-01T00:00:00.000Z",
    ]);
  });
});

describe("normalizeDiscountCode", () => {
  it("compares case-insensitively but keeps punctuation, which is part of a coupon", () => {
    expect(normalizeDiscountCode(" spring-sam ")).toBe("SPRING-SAM");
    expect(normalizeDiscountCode("ＳＡＭ１０")).toBe("SAM10");
    expect(normalizeDiscountCode("   ")).toBeNull();
  });
});
