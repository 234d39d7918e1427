import { describe, expect, it } from "vitest";
import { DEFAULT_PROXY_PATH, portalPathPrefix } from "./proxy-path.server";

describe("portalPathPrefix", () => {
  it("keeps the proxy path Shopify sent, under any of its prefixes", () => {
    expect(portalPathPrefix("/apps/upline")).toBe("/apps/upline");
    expect(portalPathPrefix("/community/affiliates/")).toBe("/community/affiliates");
    expect(portalPathPrefix("/a/partners")).toBe("/a/partners");
  });

  it("falls back to the configured default for anything that is not a proxy path", () => {
    for (const raw of [null, "", "/", "//evil.example/x", "https://evil.example/apps/x", "/apps/x/../../y", "/shop/upline"]) {
      expect(portalPathPrefix(raw)).toBe(DEFAULT_PROXY_PATH);
    }
  });
});
