import { describe, expect, it } from "vitest";
import { GenealogyError } from "./errors";
import { assertValidInterval, inForceAt, isInForce, overlaps, sortedNonOverlapping, startingAfter } from "./intervals";

const t = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("half-open effective intervals", () => {
  const interval = { validFrom: t("2026-01-01"), validTo: t("2026-02-01") };

  it("is in force from validFrom (included) to validTo (excluded)", () => {
    expect(isInForce(interval, t("2025-12-31"))).toBe(false);
    expect(isInForce(interval, t("2026-01-01"))).toBe(true);
    expect(isInForce(interval, new Date(t("2026-02-01").getTime() - 1))).toBe(true);
    expect(isInForce(interval, t("2026-02-01"))).toBe(false);
    expect(isInForce({ validFrom: t("2026-01-01"), validTo: null }, t("2999-01-01"))).toBe(true);
  });

  it("lets a closing and an opening edge share their boundary without overlapping", () => {
    const next = { validFrom: t("2026-02-01"), validTo: null };
    expect(overlaps(interval, next)).toBe(false);
    expect(overlaps(interval, { validFrom: t("2026-01-31"), validTo: null })).toBe(true);
    expect(inForceAt([next, interval], t("2026-02-01"))).toBe(next);
    expect(inForceAt([next, interval], t("2026-01-15"))).toBe(interval);
    expect(inForceAt([next, interval], t("2025-06-01"))).toBeNull();
  });

  it("finds nothing in a gap and refuses two edges in force at once", () => {
    const later = { validFrom: t("2026-03-01"), validTo: null };
    expect(inForceAt([interval, later], t("2026-02-15"))).toBeNull();
    const overlapping = { validFrom: t("2026-01-15"), validTo: null };
    expect(() => inForceAt([interval, overlapping], t("2026-01-20"))).toThrow(GenealogyError);
    expect(() => sortedNonOverlapping([overlapping, interval])).toThrow("overlap");
    expect(sortedNonOverlapping([later, interval])).toEqual([interval, later]);
  });

  it("rejects empty or inverted intervals and invalid dates", () => {
    expect(() => assertValidInterval({ validFrom: t("2026-01-01"), validTo: t("2026-01-01") })).toThrow("must be after");
    expect(() => assertValidInterval({ validFrom: t("2026-01-02"), validTo: t("2026-01-01") })).toThrow(GenealogyError);
    expect(() => isInForce(interval, new Date("not a date"))).toThrow("not a valid date");
  });

  it("lists intervals starting strictly after an instant", () => {
    const next = { validFrom: t("2026-02-01"), validTo: null };
    expect(startingAfter([interval, next], t("2026-01-01"))).toEqual([next]);
    expect(startingAfter([interval, next], t("2026-02-01"))).toEqual([]);
  });
});
