import { describe, expect, it } from "vitest";
import { dayText, findUnstorableText, fitsBigint, instantText, isStorableText } from "./input-atoms";

describe("storable text", () => {
  it("refuses NUL and unpaired surrogates, keeps paired ones (emoji)", () => {
    expect(isStorableText("Jane\u0000Doe")).toBe(false);
    expect(isStorableText("broken \ud800 text")).toBe(false);
    expect(isStorableText("\udc00 alone")).toBe(false);
    expect(isStorableText("Jane 😀 Doe")).toBe(true);
  });

  it("names the path of the first unstorable string or key in a JSON value", () => {
    expect(findUnstorableText({ items: [{ sku: "A" }, { sku: "B\u0000" }] })).toBe("items.1.sku");
    expect(findUnstorableText({ ["k\ud800"]: 1 })).toBe("k\ud800");
    expect(findUnstorableText("\u0000")).toBe("(body)");
    expect(findUnstorableText({ name: "ok", n: 5, list: [null, true] })).toBeNull();
  });
});

describe("supported instants", () => {
  it("refuses year 0000 and 9999, accepts 1970 to 2199", () => {
    expect(instantText.safeParse("0000-01-01T00:00:00Z").success).toBe(false);
    expect(instantText.safeParse("9999-12-31T23:59:59Z").success).toBe(false);
    expect(instantText.safeParse("1970-01-01T00:00:00Z").success).toBe(true);
    expect(instantText.safeParse("2199-12-31T23:59:59+00:00").success).toBe(true);
    expect(dayText.safeParse("0000-01-01").success).toBe(false);
    expect(dayText.safeParse("2026-03-01").success).toBe(true);
  });

  it("gives text that is no instant one error, not a second about its range", () => {
    expect(instantText.safeParse("yesterday").error!.issues).toHaveLength(1);
    expect(dayText.safeParse("2026-3-1").error!.issues).toHaveLength(1);
  });

  it("bounds bigint columns", () => {
    expect(fitsBigint(9_223_372_036_854_775_807n)).toBe(true);
    expect(fitsBigint(9_223_372_036_854_775_808n)).toBe(false);
    expect(fitsBigint(-9_223_372_036_854_775_808n)).toBe(true);
  });
});
