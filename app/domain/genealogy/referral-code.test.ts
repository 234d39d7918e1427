import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  REFERRAL_CODE_ALPHABET,
  formatReferralCode,
  generateReferralCode,
  isGeneratedReferralCode,
  normalizeReferralCode,
  seededRandomBytes,
} from "./referral-code";

describe("referral codes", () => {
  it("uses 30 unambiguous symbols: no 0/O, 1/I/L, nor U", () => {
    expect(REFERRAL_CODE_ALPHABET).toHaveLength(30);
    expect(new Set(REFERRAL_CODE_ALPHABET).size).toBe(30);
    for (const ambiguous of "0O1ILU") expect(REFERRAL_CODE_ALPHABET).not.toContain(ambiguous);
  });

  it("generates 8-symbol codes from the alphabet, reproducibly from a seed", () => {
    const code = generateReferralCode(seededRandomBytes(42));
    expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
    expect(generateReferralCode(seededRandomBytes(42))).toBe(code);
    expect(generateReferralCode(seededRandomBytes(43))).not.toBe(code);
    expect(isGeneratedReferralCode(generateReferralCode())).toBe(true);
    expect(generateReferralCode(seededRandomBytes(1), 12)).toHaveLength(12);
    expect(() => generateReferralCode(seededRandomBytes(1), 2)).toThrow(RangeError);
  });

  it("redraws bytes that would bias the first symbols", () => {
    const bytes = [255, 240, 0, 250, 29, 241, 30, 59, 60, 89, 242];
    let cursor = 0;
    const scripted = (count: number) => Uint8Array.from({ length: count }, () => bytes[cursor++ % bytes.length]!);
    // 255, 240, 250, 241 are redrawn; 0, 29, 30, 59, 60, 89 map to symbols 0, 29, 0, 29, 0, 29.
    expect(generateReferralCode(scripted, 6)).toBe("2Z2Z2Z");
  });

  it("spreads symbols evenly (every symbol within 25% of its expected share)", () => {
    const random = seededRandomBytes(7);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3_000; i += 1) {
      for (const symbol of generateReferralCode(random)) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
    const expected = (3_000 * 8) / 30;
    for (const symbol of REFERRAL_CODE_ALPHABET) {
      expect(Math.abs((counts.get(symbol) ?? 0) - expected)).toBeLessThan(expected * 0.25);
    }
  });

  it("normalizes what people type or paste to the stored form", () => {
    expect(normalizeReferralCode("  abcd-efgh ")).toBe("ABCDEFGH");
    expect(normalizeReferralCode("ABCD EFGH")).toBe("ABCDEFGH");
    expect(normalizeReferralCode("ＡＢＣＤ２３４５")).toBe("ABCD2345");
    expect(normalizeReferralCode("jane_2024")).toBe("JANE2024");
    expect(normalizeReferralCode("   ")).toBeNull();
    expect(normalizeReferralCode("AB")).toBeNull();
    expect(normalizeReferralCode("ABC/DEF")).toBeNull();
    expect(normalizeReferralCode("A".repeat(33))).toBeNull();
  });

  it("round-trips every generated code through display and lookup forms (property)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.boolean(), (seed, lower) => {
        const code = generateReferralCode(seededRandomBytes(seed));
        const shown = formatReferralCode(code);
        expect(shown).toMatch(/^.{4}-.{4}$/);
        expect(normalizeReferralCode(` ${lower ? shown.toLowerCase() : shown} `)).toBe(code);
        expect(isGeneratedReferralCode(code)).toBe(true);
      }),
    );
  });
});
