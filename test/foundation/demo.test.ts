import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { spawnScript } from "../support/processes";

// The README's first quick-start command, kept true: the demo on the embedded database, end to end.
describe("npm run demo", () => {
  it("replays signed webhooks of three platforms into orders and ledger entries that reconcile to 0, then closes the month", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "upline-demo-"));
    const demo = spawnScript(
      "scripts/demo.ts",
      {
        DATABASE_URL: "",
        UPLINE_EMBEDDED_DATA_DIR: dataDir,
        UPLINE_SKIP_BUILD: "1",
        REDIS_PREFIX: `upline-demo-test-${process.pid}`,
        DEMO_ORDERS: "3",
        DEMO_DISTRIBUTORS: "40",
        PORT: "0",
      },
      ["--exit"],
    );
    try {
      const { code } = await demo.exit(210_000);
      const output = demo.output();
      expect(code, output).toBe(0);
      expect(output).toMatch(/sent (\d+)\/\1: \1 × 200/);
      expect(output).toMatch(/shopify\s+processed\s+9\b/); // 4 orders (one sent 20 times at once), a refund, 3 sign-ups, a compliance request
      expect(output).toMatch(/Sign-ups enrolled from customers\/create: 3 \(\w+ under COMPANY, \w+ under JANE01, \w+ under OMAR22\)/);
      expect(output).toMatch(/woocommerce\s+3 orders/);
      expect(output).toMatch(/magento\s+3 orders/);
      expect(output).toMatch(/Ledger: \d+ transactions/);
      expect(output).toMatch(/Closed the period from 2026-10-01: \d+ bonus lines/);
      expect(output).toMatch(/binary\s+\d+ recipients/);
      expect(output).toContain("Closing it again (a new request): already_closed, 0 new ledger transactions.");

      // The second shop sells in euros: its currency comes from Shopify's shop/update, and everything it shows is EUR.
      const [usd, eur] = output.split("=== Second shop: upline-demo-eu.myshopify.com ===");
      expect(eur, output).toBeDefined();
      expect(usd).toMatch(/Reconciliation over \d+ days, 10 orders: delta 0 \(1 refunds reversed, 0 refund gaps, 0 plan amounts dropped\)\./);
      expect(eur).toContain("Shop currency: EUR (source: shopify).");
      expect(eur).toMatch(/sent (\d+)\/\1: \1 × 200/);
      expect(eur).toMatch(/shopify\s+3 orders\s+net\s+[\d.]+ EUR/);
      expect(eur).toMatch(/all distributors: [\d.]+ EUR owed/);
      expect(eur).not.toMatch(/ USD/);
      expect(eur).toMatch(/Reconciliation over \d+ days, 3 orders: delta 0 \(1 refunds reversed, 0 refund gaps, 0 plan amounts dropped\)\./);
      expect(eur).toMatch(/Closed the period from 2026-10-01: \d+ bonus lines, [\d.]+ EUR/);
      expect(eur).toContain("Closing it again (a new request): already_closed, 0 new ledger transactions.");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
