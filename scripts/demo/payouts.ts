/**
 * The demo's payout run: the month's balances released past their hold, a payout method for each earner (the
 * first three paid as Shopify store credit through a local Admin API that answers like Shopify's, the rest by
 * bank file), then a run created, approved and executed through the REST API and the workers, the bank file
 * downloaded and confirmed, and the run printed. The Admin API is local because the demo has no store.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "~/db.server";
import { formatMinor } from "~/domain/money";
import { createApiToken } from "~/services/api/tokens.server";
import { releaseDueHolds } from "~/services/commissions/holds.server";
import { startFakeStoreCredit, type FakeStoreCredit } from "../../test/support/fakes/shopify-store-credit";

const DEMO_ADMIN_TOKEN = "shpat_upline_demo";
const STORE_CREDIT_PAYEES = 3;

export type DemoAdminApi = FakeStoreCredit;

/** Started before the app, so the workers' SHOPIFY_ADMIN_BASE_URL can point at it. */
export async function startDemoAdminApi(): Promise<DemoAdminApi> {
  const api = await startFakeStoreCredit(DEMO_ADMIN_TOKEN);
  api.delayMs = 0;
  return api;
}

export async function payDemoBalances(
  db: Db,
  shopId: string,
  shopDomain: string,
  baseUrl: string,
  adminApi: DemoAdminApi,
  log: (line: string) => void,
): Promise<void> {
  const { token } = await createApiToken(db, shopId, "demo payouts", ["payouts:read", "payouts:write"]);
  const call = async (method: "GET" | "POST", path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(method === "POST" ? { "Content-Type": "application/json", "Idempotency-Key": randomUUID() } : {}) },
      body: method === "POST" ? JSON.stringify(body ?? {}) : undefined,
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return text;
  };

  // The store's offline session, as an install stores it: the store credit rail calls the Admin API with it.
  await db.session.upsert({
    where: { id: `offline_${shopDomain}` },
    create: { id: `offline_${shopDomain}`, shop: shopDomain, state: "demo", isOnline: false, accessToken: DEMO_ADMIN_TOKEN },
    update: { accessToken: DEMO_ADMIN_TOKEN },
  });
  const released = await releaseDueHolds(db, { now: new Date(Date.now() + 3_650 * 86_400_000), shopId });
  const earners = await db.$queryRaw<{ distributorId: string; code: string }[]>`
    SELECT p."distributorId", d."code" FROM "LedgerPosting" p JOIN "Distributor" d ON d."id" = p."distributorId"
    WHERE p."shopId" = ${shopId}::uuid AND p."accountKind" = 'wallet_available'
    GROUP BY p."distributorId", d."code" HAVING sum(p."amountMinor") < 0 ORDER BY d."code"`;
  log(`\nPayouts: released ${released.commissions} held commissions; ${earners.length} distributors have an available balance.`);
  for (const [index, earner] of earners.entries()) {
    const body =
      index < STORE_CREDIT_PAYEES
        ? { method: "store_credit", details: { customer_id: `gid://shopify/Customer/${9000 + index}` } }
        : { method: "bank", details: { account_holder: earner.code, iban: `DE89370400440532${String(index).padStart(6, "0")}` } };
    await call("POST", `/api/v1/distributors/${earner.distributorId}/payout-method`, body);
  }

  const created = JSON.parse(await call("POST", "/api/v1/payout-runs", {})) as { payout_run: { id: string } };
  const runId = created.payout_run.id;
  await call("POST", `/api/v1/payout-runs/${runId}/approve`, {});
  const deadline = Date.now() + 60_000;
  let items: { method: string; status: string; amount: { amount_minor: string; currency: string } }[] = [];
  for (;;) {
    items = (JSON.parse(await call("GET", `/api/v1/payout-runs/${runId}/items?limit=1000`)) as { items: typeof items }).items;
    if (items.every((item) => (item.method === "bank" ? item.status === "submitted" : item.status === "paid"))) break;
    if (Date.now() > deadline) throw new Error(`the payout run's items did not settle: ${JSON.stringify(items.map((i) => [i.method, i.status]))}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const file = await call("GET", `/api/v1/payout-runs/${runId}/export.csv`);
  const rows = file
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(","));
  const confirmation = ["reference,status,amount,currency", ...rows.map((cells) => `${cells[0]},paid,${cells[7]},${cells[8]}`)].join("\n");
  const confirmed = JSON.parse(await call("POST", `/api/v1/payout-runs/${runId}/confirmations`, { csv: confirmation })) as { paid: number; issues: unknown[] };
  const run = (
    JSON.parse(await call("GET", "/api/v1/payout-runs?limit=1")) as {
      payout_runs: {
        id: string;
        status: string;
        item_count: number;
        held_back_count: number;
        totals: { currency: string; items: number; total: { amount: string } }[];
      }[];
    }
  ).payout_runs[0]!;

  log(
    `Payout run ${run.id}: ${run.status}, ${run.item_count} items (${run.held_back_count} balances held back), ${run.totals.map((t) => `${t.total.amount} ${t.currency}`).join(" + ")}`,
  );
  const byMethod = new Map<string, { items: number; minor: bigint; currency: string }>();
  for (const item of items) {
    const entry = byMethod.get(item.method) ?? { items: 0, minor: 0n, currency: item.amount.currency };
    byMethod.set(item.method, { ...entry, items: entry.items + 1, minor: entry.minor + BigInt(item.amount.amount_minor) });
  }
  for (const [method, entry] of byMethod)
    log(`  ${method.padEnd(13)} ${String(entry.items).padStart(4)} items ${formatMinor(entry.minor, entry.currency).padStart(10)} ${entry.currency}`);
  const credited = [...adminApi.credits.values()].flat();
  log(
    `  store credit: ${credited.length} credits at the (local) Admin API; bank file: ${rows.length} rows, ${confirmed.paid} confirmed paid by the bank's file`,
  );
  if (run.status !== "completed") throw new Error(`the demo's payout run ended ${run.status}`);
  if (credited.length !== Math.min(STORE_CREDIT_PAYEES, earners.length))
    throw new Error(`expected ${Math.min(STORE_CREDIT_PAYEES, earners.length)} store credits, the Admin API has ${credited.length}`);
}
