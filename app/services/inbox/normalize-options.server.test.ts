import { describe, expect, it } from "vitest";
import { normalizeOptionsFrom } from "./normalize-options.server";

describe("normalizeOptionsFrom", () => {
  const receivedAt = new Date("2026-11-23T10:00:00.000Z");

  it("passes a store's referral keys and paid statuses on, with the delivery time", () => {
    expect(normalizeOptionsFrom({ referralKeys: ["_ref"], paidStatuses: ["processing", "completed"], other: 1 }, receivedAt)).toEqual({
      deliveredAt: "2026-11-23T10:00:00.000Z",
      referralKeys: ["_ref"],
      paidStatuses: ["processing", "completed"],
    });
  });

  it("leaves the platform defaults when settings are missing, empty or not lists", () => {
    for (const settings of [null, undefined, {}, { referralKeys: [], paidStatuses: "completed" }]) {
      expect(normalizeOptionsFrom(settings, receivedAt)).toEqual({ deliveredAt: "2026-11-23T10:00:00.000Z" });
    }
  });
});
