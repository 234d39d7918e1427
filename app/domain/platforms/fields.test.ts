import { describe, expect, it } from "vitest";
import { Fields } from "./fields";
import { NormalizationError } from "./normalized";

function failure(run: () => unknown): NormalizationError {
  try {
    run();
  } catch (error) {
    if (error instanceof NormalizationError) return error;
    throw error;
  }
  throw new Error("expected a NormalizationError");
}

describe("Fields", () => {
  const item = Fields.of({ qty: "2.0000", neg: -3, half: 1.5, id: 42, big: 2 ** 60, text: "  hi ", blank: " " }, "items[0]");

  it("reads whole-number quantities, including Magento's decimal text", () => {
    expect(item.quantity("qty")).toBe(2);
    expect(item.signedQuantity("neg")).toBe(-3);
    expect(failure(() => item.quantity("neg")).field).toBe("items[0].neg");
    expect(failure(() => item.quantity("half")).message).toBe("items[0].half: must be a whole number");
    expect(failure(() => item.quantity("missing")).message).toBe("items[0].missing: is required");
  });

  it("reads ids as strings and refuses numbers that already lost digits", () => {
    expect(item.id("id")).toBe("42");
    expect(failure(() => item.id("big")).message).toMatch(/lost digits/);
  });

  it("trims text and treats blank as absent", () => {
    expect(item.optionalString("text")).toBe("hi");
    expect(item.optionalString("blank")).toBeNull();
    expect(failure(() => item.string("blank")).field).toBe("items[0].blank");
  });

  it("names the body when it is not an object", () => {
    expect(failure(() => Fields.of([1, 2])).field).toBe("(body)");
  });
});
