import { describe, expect, it } from "vitest";
import { adapterFor, platformAdapters } from "./registry";

describe("platform adapters", () => {
  it("finds each webhook platform's adapter by its route name", () => {
    for (const [platform, adapter] of Object.entries(platformAdapters)) {
      expect(adapterFor(platform)).toBe(adapter);
      expect(adapter.platform).toBe(platform);
    }
  });

  it("has no adapter for the REST API or unknown names", () => {
    expect(adapterFor("api")).toBeNull();
    expect(adapterFor("toString")).toBeNull();
    expect(adapterFor("bigcommerce")).toBeNull();
  });
});
