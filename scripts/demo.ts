/**
 * `npm run demo`: Upline end to end on the embedded database. Starts the app and workers, seeds a sample shop
 * with WooCommerce and Magento connections, replays signed webhooks of all three platforms through the real
 * ingest route (duplicates, a concurrent burst, sign-ups and a refund included), waits for the workers, prints
 * what was stored, and closes the month (binary, ranks, bonuses) through the REST API. Then the same for a second
 * shop selling in euros, whose currency comes from Shopify's shop/update. In a terminal the app then stays up until Ctrl-C; elsewhere (CI, scripts) the demo exits 0.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { createPrismaClient } from "~/db.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { createConnection } from "~/services/connections.server";
import { exitOnStartupError, launch, superviseUntilSignal } from "./launcher";
import { euroDeliveries, euroShopUpdate, sampleDeliveries, type Delivery } from "./demo/sample-deliveries";
import { printEnrollments, printIngestSummary, printLedgerSummary, printReconciliation, waitForInboxToSettle } from "./demo/summary";
import { DEMO_PERIOD_START, DEMO_REFERRERS, seedCommissionSetup } from "./demo/seed-commissions";
import { closeDemoPeriod } from "./demo/period-close";
import { deleteRedisPrefix } from "./demo/redis-prefix";
import { payDemoBalances, startDemoAdminApi, type DemoAdminApi } from "./demo/payouts";

const log = (line: string) => process.stdout.write(`${line}\n`);
const DEMO_SHOP = "upline-demo.myshopify.com";
/** The second shop, beside the USD one: a Berlin store selling in euros. */
const EURO_SHOP = "upline-demo-eu.myshopify.com";
const DEMO_SECRET = "upline-demo-app-secret";
const DATA_DIR = path.resolve(".data", "demo");
const ORDERS_PER_PLATFORM = Number(process.env.DEMO_ORDERS ?? 12);
const DISTRIBUTORS = Number(process.env.DEMO_DISTRIBUTORS ?? 300);
const keepRunning = process.stdout.isTTY && process.stdin.isTTY && process.env.CI !== "true" && !process.argv.includes("--exit");

/** Sends every copy at once. */
async function send(baseUrl: string, delivery: Delivery): Promise<number[]> {
  const copies = Array.from({ length: delivery.copies }, async () => {
    const response = await fetch(`${baseUrl}${delivery.path}`, delivery.init);
    // A refused sample is a bug in the demo or the app: say which delivery and why, not only the count.
    if (response.status !== 200)
      log(`
  ${delivery.label} (${delivery.path}) answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    return response.status;
  });
  return Promise.all(copies);
}

async function main() {
  // A fresh database each run, so the summary shows exactly this run's traffic.
  if (!process.env.DATABASE_URL) rmSync(DATA_DIR, { recursive: true, force: true });
  // Any free port unless PORT is set: a demo should not collide with an app already running on 3000.
  const port = process.env.PORT ?? "0";
  const adminApi = await startDemoAdminApi();
  const env = {
    ...process.env,
    PORT: port,
    UPLINE_EMBEDDED_DATA_DIR: process.env.UPLINE_EMBEDDED_DATA_DIR ?? DATA_DIR,
    SHOPIFY_API_KEY: process.env.SHOPIFY_API_KEY ?? "upline-demo-api-key",
    SHOPIFY_API_SECRET: process.env.SHOPIFY_API_SECRET ?? DEMO_SECRET,
    SHOPIFY_APP_URL: process.env.SHOPIFY_APP_URL ?? "http://localhost",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    // Its own queue namespace, so another Upline on the same Redis never takes (or gives) the demo's jobs.
    REDIS_PREFIX: process.env.REDIS_PREFIX ?? `upline-demo-${process.pid}`,
    SWEEPER_INTERVAL_MS: process.env.SWEEPER_INTERVAL_MS ?? "5000",
    SWEEPER_STALE_AFTER_MS: process.env.SWEEPER_STALE_AFTER_MS ?? "10000",
    // The demo closes October itself once its orders are in; the repeatable close must not do it first.
    PERIOD_CLOSE_GRACE_MS: process.env.PERIOD_CLOSE_GRACE_MS ?? String(3_650 * 86_400_000),
    // Store credit payouts go to a local Admin API (scripts/demo/payouts.ts): the demo has no store.
    SHOPIFY_ADMIN_BASE_URL: adminApi.url,
    PAYOUT_POLL_MS: process.env.PAYOUT_POLL_MS ?? "1000",
  };

  log("Upline demo: starting the database, app and workers…");
  const launched = await launch({ env, build: process.env.UPLINE_SKIP_BUILD !== "1", log: (line) => log(`  ${line}`) });
  const baseUrl = `http://127.0.0.1:${launched.port}`;
  const db = createPrismaClient(launched.database.url, 2);
  try {
    await runDemoTraffic(db, env, baseUrl, adminApi);
    await runEuroShop(db, env, baseUrl);
  } catch (error) {
    await launched.stop();
    throw error;
  } finally {
    await db.$disconnect();
  }

  const cleanUp = () => deleteRedisPrefix(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", env.REDIS_PREFIX);
  if (keepRunning) {
    log(`\nThe app stays up at ${baseUrl} (health: ${baseUrl}/healthz). Ctrl-C stops it.`);
    superviseUntilSignal(launched, log, cleanUp);
  } else {
    await launched.stop();
    await cleanUp();
    log("\nDemo finished.");
    process.exit(0);
  }
}

async function sendAll(baseUrl: string, deliveries: readonly Delivery[]) {
  const totalRequests = deliveries.reduce((sum, d) => sum + d.copies, 0);
  const statuses = new Map<number, number>();
  let sent = 0;
  for (const delivery of deliveries) {
    for (const status of await send(baseUrl, delivery)) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    sent += delivery.copies;
    process.stdout.write(`\r  sent ${sent}/${totalRequests}`);
  }
  log(`\r  sent ${sent}/${totalRequests}: ${[...statuses].map(([status, count]) => `${count} × ${status}`).join(", ")}`);
}

/**
 * The European shop: its currency comes from Shopify's shop/update (through the ingest route, like any shop's),
 * its plan is in that currency, and its own orders, a refund, reconciliation and close are shown like the first's.
 */
async function runEuroShop(db: ReturnType<typeof createPrismaClient>, env: Record<string, string | undefined>, baseUrl: string) {
  log(`\n=== Second shop: ${EURO_SHOP} ===`);
  const created = await ensureShopifyShop(db, EURO_SHOP);
  const target = { shopDomain: EURO_SHOP, shopifySecret: env.SHOPIFY_API_SECRET!, referralCodes: DEMO_REFERRERS };
  log("Sending Shopify's shop/update for it…");
  await sendAll(baseUrl, [euroShopUpdate(target)]);
  await waitForInboxToSettle(db, created.id, 60_000, () => undefined);
  const shop = await db.shop.findUniqueOrThrow({ where: { id: created.id }, select: { id: true, currency: true, currencySource: true } });
  log(`Shop currency: ${shop.currency} (source: ${shop.currencySource ?? "default"}).`);
  if (shop.currency !== "EUR") throw new Error(`the European shop's currency is ${shop.currency}, not EUR`);
  const distributors = Math.max(20, Math.round(DISTRIBUTORS / 2));
  await seedCommissionSetup(
    db,
    shop.id,
    distributors,
    (done) => process.stdout.write(`\r  enrolled ${done}/${distributors} distributors, plan in ${shop.currency} and commission classes published`),
    shop.currency,
  );
  log("");
  const deliveries = euroDeliveries(target, ORDERS_PER_PLATFORM);
  log(`Replaying ${deliveries.length} webhooks of ${EURO_SHOP} through ${baseUrl}/ingest…`);
  await sendAll(baseUrl, deliveries);
  await waitForInboxToSettle(db, shop.id, 60_000, (done, total) => process.stdout.write(`\r  workers processed ${done}/${total} inbox events`));
  log("");
  await printIngestSummary(db, shop.id, log);
  await printLedgerSummary(db, shop.id, log);
  if ((await printReconciliation(db, shop.id, log)) !== 0) throw new Error(`reconciliation of ${EURO_SHOP} found discrepancies`);
  await closeDemoPeriod(db, shop.id, baseUrl, DEMO_PERIOD_START, log);
}

async function runDemoTraffic(db: ReturnType<typeof createPrismaClient>, env: Record<string, string | undefined>, baseUrl: string, adminApi: DemoAdminApi) {
  const shop = await ensureShopifyShop(db, DEMO_SHOP);
  const woo = await createConnection(db, shop.id, { platform: "woocommerce", name: "Demo WooCommerce store", baseUrl: "https://woo.demo" });
  const magento = await createConnection(db, shop.id, { platform: "magento", name: "Demo Magento store", baseUrl: "https://magento.demo" });
  log(`Seeded shop ${DEMO_SHOP} with a WooCommerce and a Magento connection.`);
  await seedCommissionSetup(db, shop.id, DISTRIBUTORS, (done) =>
    process.stdout.write(`\r  enrolled ${done}/${DISTRIBUTORS} distributors, plan and commission classes published`),
  );
  log("");

  const deliveries = sampleDeliveries(
    {
      shopDomain: DEMO_SHOP,
      shopifySecret: env.SHOPIFY_API_SECRET!,
      wooPath: woo.ingestPath,
      wooSecret: woo.webhookSecret,
      magentoPath: magento.ingestPath,
      magentoSecret: magento.webhookSecret,
      referralCodes: DEMO_REFERRERS,
    },
    ORDERS_PER_PLATFORM,
  );
  const totalRequests = deliveries.reduce((sum, d) => sum + d.copies, 0);
  log(`Replaying ${deliveries.length} webhooks (${totalRequests} HTTP deliveries, duplicates included) through ${baseUrl}/ingest…`);
  await sendAll(baseUrl, deliveries);

  await waitForInboxToSettle(db, shop.id, 60_000, (done, total) => process.stdout.write(`\r  workers processed ${done}/${total} inbox events`));
  log("");
  await printIngestSummary(db, shop.id, log);
  await printEnrollments(db, shop.id, log);
  await printLedgerSummary(db, shop.id, log);
  const deltas = await printReconciliation(db, shop.id, log);
  if (deltas !== 0) throw new Error("reconciliation found discrepancies");
  await closeDemoPeriod(db, shop.id, baseUrl, DEMO_PERIOD_START, log);
  await payDemoBalances(db, shop.id, DEMO_SHOP, baseUrl, adminApi, log);
}

main().catch(exitOnStartupError);
