/**
 * Test-only access to the published sample payloads copied under test/fixtures/. Not imported by
 * production code (it reads files).
 */
import { readFileSync } from "node:fs";
import { parseJsonLossless } from "~/domain/platforms/json";
import { record, records, type JsonRecord } from "./json-edit";

export type FixturePlatform = "shopify" | "woocommerce" | "magento";

const FIXTURES = new URL("../../fixtures/", import.meta.url);

/** A file of the repository by its path from the root (the Magento module's own signature vector, say). */
export function repositoryText(path: string): string {
  return readFileSync(new URL(path, new URL("../../../", import.meta.url)), "utf8");
}

export function fixtureText(platform: FixturePlatform, name: string): string {
  return readFileSync(new URL(`${platform}/${name}`, FIXTURES), "utf8");
}

/** A fresh, mutable copy (parsed losslessly) for tests that derive variants from a fixture. */
export function fixtureJson(platform: FixturePlatform, name: string): JsonRecord {
  return record(parseJsonLossless(fixtureText(platform, name)));
}

/** The same, for fixtures that are a JSON array of objects (REST list responses). */
export function fixtureJsonList(platform: FixturePlatform, name: string): JsonRecord[] {
  return records(parseJsonLossless(fixtureText(platform, name)));
}

/**
 * The trigger.dev Shopify samples were saved after a JSON.parse round trip, so their numeric ids are rounded
 * (820982911946154500). Shopify itself sends the exact digits, which the samples' admin_graphql_api_id still
 * hold. This puts them back, giving the text of a real delivery.
 */
const EXACT_SHOPIFY_IDS: ReadonlyArray<readonly [rounded: string, exact: string]> = [
  ["820982911946154500", "820982911946154508"], // Order
  ["866550311766439000", "866550311766439020"], // LineItem
  ["141249953214522980", "141249953214522974"], // LineItem
  ["115310627314723950", "115310627314723954"], // Customer
  ["890088186047892400", "890088186047892319"], // Refund
  ["706405506930370000", "706405506930370084"], // Customer (customers/create)
];

export function shopifyWireText(name: string): string {
  let text = fixtureText("shopify", name);
  for (const [rounded, exact] of EXACT_SHOPIFY_IDS) {
    text = text.replace(new RegExp(`(?<![\\d.])${rounded}(?![\\d.])`, "g"), exact);
  }
  return text;
}
