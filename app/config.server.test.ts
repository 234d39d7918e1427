import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, readConfig, readCoreConfig } from "./config.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://upline.example",
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/upline",
};

describe("configuration", () => {
  it("requests by default the scopes shopify.app.toml declares", () => {
    const declared = /^scopes = "([^"]*)"/m.exec(readFileSync("shopify.app.toml", "utf8"))?.[1];
    expect(readConfig(valid).SCOPES).toBe(declared);
  });

  it("applies the documented defaults", () => {
    const config = readConfig(valid);
    expect(config.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(config.PORT).toBe(3000);
    // The same scopes shopify.app.toml requests: a token missing one fails the coupon or store-credit calls.
    expect(config.SCOPES).toBe(
      "read_orders,read_customers,read_products,write_app_proxy,write_discounts,read_store_credit_account_transactions,write_store_credit_account_transactions",
    );
    expect(config.INGEST_MAX_BODY_BYTES).toBe(1_048_576);
  });

  it("names a missing variable", () => {
    const { SHOPIFY_API_SECRET: _omitted, ...env } = valid;
    expect(() => readConfig(env)).toThrowError(new ConfigError("Configuration error: SHOPIFY_API_SECRET is not set"));
  });

  it("names a malformed variable and says what it must be", () => {
    expect(() => readCoreConfig({ ...valid, REDIS_URL: "localhost:6379" })).toThrowError(
      /REDIS_URL is invalid: must be a URL starting with redis:\/\/ or rediss:\/\//,
    );
    expect(() => readCoreConfig({ ...valid, PORT: "eighty" })).toThrowError(/PORT is invalid/);
  });

  it("reads the Admin API URL template, and refuses one that is not http(s)", () => {
    expect(readCoreConfig(valid).SHOPIFY_ADMIN_API_URL).toBeUndefined();
    expect(readCoreConfig({ ...valid, SHOPIFY_ADMIN_API_URL: "http://127.0.0.1:4010/admin/api/{version}/graphql.json" }).SHOPIFY_ADMIN_API_URL).toBe(
      "http://127.0.0.1:4010/admin/api/{version}/graphql.json",
    );
    expect(() => readCoreConfig({ ...valid, SHOPIFY_ADMIN_API_URL: "{shop}/graphql.json" })).toThrowError(/SHOPIFY_ADMIN_API_URL is invalid/);
  });

  it("lets workers run without the Shopify credentials the web app needs", () => {
    expect(readCoreConfig({ DATABASE_URL: valid.DATABASE_URL }).DATABASE_URL).toBe(valid.DATABASE_URL);
  });
});
