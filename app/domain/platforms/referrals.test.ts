import { describe, expect, it } from "vitest";
import { cleanReferralCode, codeFromLabelledText, referenceList, valuesForKeys } from "./referrals";

describe("referral codes", () => {
  it.each([
    ["  JANE01 ", "JANE01"],
    [12345, "12345"],
    ["", null],
    ["   ", null],
    [null, null],
    [{ code: "X" }, null],
    ["x".repeat(101), null],
    ["bad\u0000code", null],
    [1.5, null],
  ])("cleans %j to %j", (value, expected) => {
    expect(cleanReferralCode(value)).toBe(expected);
  });

  it("orders values by key priority, then payload order, matching keys case-insensitively", () => {
    const entries = [
      { key: "ref", value: "B1" },
      { key: "UPLINE_REF", value: "A1" },
      { key: "ref", value: "B2" },
      { key: "other", value: "Z" },
    ];
    expect(valuesForKeys(entries, ["upline_ref", "ref"])).toEqual(["A1", "B1", "B2"]);
    expect(valuesForKeys(entries, [])).toEqual([]);
  });

  it("reads labelled codes from free text only when they look like codes", () => {
    expect(codeFromLabelledText(["vip", " ref:JANE01 "], ["ref"])).toBe("JANE01");
    expect(codeFromLabelledText(["Upline_Ref = jane.02"], ["upline_ref"])).toBe("jane.02");
    expect(codeFromLabelledText(["ref: see the email"], ["ref"])).toBeNull();
    expect(codeFromLabelledText(["ref:<script>"], ["ref"])).toBeNull();
    expect(codeFromLabelledText(["referral:JANE"], ["ref"])).toBeNull();
  });

  it("keeps the first place of each (source, code) pair", () => {
    expect(
      referenceList([
        ["cart_attribute", ["A", "A", "B"]],
        ["discount_code", ["A"]],
      ]),
    ).toEqual([
      { code: "A", source: "cart_attribute" },
      { code: "B", source: "cart_attribute" },
      { code: "A", source: "discount_code" },
    ]);
  });
});
