import { describe, expect, it } from "vitest";
import { acceptedSecrets, type IngestConnection } from "./connection-cache.server";

const base: IngestConnection = {
  id: "c",
  shopId: "s",
  platform: "woocommerce",
  status: "active",
  webhookSecret: "new",
  previousWebhookSecret: null,
  previousSecretUntil: null,
  publicKeysPem: [],
};
const at = Date.parse("2026-12-05T12:00:00Z");

describe("acceptedSecrets (secret rotation's grace period)", () => {
  it("accepts only the current secret when none was rotated", () => {
    expect(acceptedSecrets(base, at)).toEqual(["new"]);
  });
  it("accepts the previous secret until the grace period ends, then only the new one", () => {
    const rotated = { ...base, previousWebhookSecret: "old", previousSecretUntil: new Date(at + 1_000) };
    expect(acceptedSecrets(rotated, at)).toEqual(["new", "old"]);
    expect(acceptedSecrets(rotated, at + 1_000)).toEqual(["new"]);
    expect(acceptedSecrets(rotated, at + 60_000)).toEqual(["new"]);
  });
});
