import { describe, expect, it } from "vitest";
import { normalizeApiOrder } from "./api-order";
import { NormalizationError } from "./normalized";

const base = { platform_order_id: "A-1", currency: "USD", sku: "X", amount: "10.00" };

function refusedField(body: unknown): string {
  try {
    normalizeApiOrder(body, "2026-03-01T00:00:00.000Z");
  } catch (error) {
    if (error instanceof NormalizationError) return error.field;
    throw error;
  }
  throw new Error("expected a NormalizationError");
}

describe("normalizeApiOrder refuses what could never be stored, naming the field", () => {
  it.each([
    ["an amount in exponent form (1e21)", { ...base, amount: 1e21 }, "amount"],
    ["a tiny amount in exponent form (1e-7)", { ...base, amount: 1e-7 }, "amount"],
    ["an amount beyond 64 bits", { ...base, amount: "100000000000000000" }, "amount"],
    [
      "a line total beyond 64 bits",
      { ...base, sku: undefined, amount: undefined, items: [{ sku: "X", quantity: 1_000_000, unit_price: "999999999999999" }] },
      "items.0",
    ],
    ["an amount with too many digits", { ...base, amount: "123456789012345678901234567890" }, "amount"],
    ["a NUL in the sku", { ...base, sku: "X\u0000" }, "sku"],
    ["a lone surrogate in the referrer", { ...base, referrer_id: "JANE\ud800" }, "referrer_id"],
    ["year 0000", { ...base, ordered_at: "0000-01-01T00:00:00Z" }, "ordered_at"],
    ["year 9999", { ...base, ordered_at: "9999-12-31T23:59:59Z" }, "ordered_at"],
  ])("%s", (_name, body, field) => {
    expect(refusedField(body)).toBe(field);
  });

  it("still accepts plain amounts as strings and numbers", () => {
    expect(normalizeApiOrder({ ...base, amount: 19.99 }, "2026-03-01T00:00:00.000Z").totalMinor).toBe(1_999n);
    expect(normalizeApiOrder({ ...base, amount: "1000000.5" }, "2026-03-01T00:00:00.000Z").totalMinor).toBe(100_000_050n);
  });
});
