import { describe, expect, it } from "vitest";
import { toUtcIso } from "./timestamps";

describe("toUtcIso", () => {
  it.each([
    ["2021-12-31T19:00:00-05:00", "2022-01-01T00:00:00.000Z"], // Shopify, shop-local with offset
    ["2025-04-02T11:38:34+0530", "2025-04-02T06:08:34.000Z"],
    ["2017-03-22T19:28:02", "2017-03-22T19:28:02.000Z"], // WooCommerce *_gmt, no zone
    ["2017-08-21 22:22:19", "2017-08-21T22:22:19.000Z"], // Magento, stored in UTC
    ["2025-07-17T15:48:42.436Z", "2025-07-17T15:48:42.436Z"], // Adobe I/O envelope
    ["2025-07-17T15:48:42.4365678Z", "2025-07-17T15:48:42.436Z"],
    ["2024-02-29T00:00", "2024-02-29T00:00:00.000Z"],
  ])("reads %s as %s", (text, expected) => {
    expect(toUtcIso(text)).toBe(expected);
  });

  it.each(["yesterday", "1", "2021-02-30T00:00:00Z", "2021-13-01 00:00:00", "2021-01-01T25:00:00Z", "March 7, 2021", ""])("rejects %j", (text) => {
    expect(toUtcIso(text)).toBeNull();
  });
});
