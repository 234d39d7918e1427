/**
 * Payout worked examples through the REST API, exact to the cent, with balances built by signed orders, the
 * hold release and refunds: threshold (7.00 and 9.00 under a 10.00 minimum → nothing paid, both carried),
 * multi-currency balances as separate items, the bank file and its confirmation, netting after a clawback
 * (−50.00, then 30.00 earned pays nothing, 80.00 earned pays 30.00), and two approvals at once.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { runAppAndWorkers } from "../support/app-and-workers";
import { waitUntil } from "../support/deliveries";
import { LINE_A, LINE_B, refundBody } from "../commissions/support";
import { accountSums, api, available, deliver, deliverOrder, releaseAll, seedPayoutShop, type PayoutShop } from "./support";

const app = runAppAndWorkers();
let shop: PayoutShop;
let call: ReturnType<typeof api>;
const money = (amount_minor: string, amount: string, currency = "USD") => ({ amount_minor, amount, currency });

beforeAll(async () => {
  shop = await seedPayoutShop();
  call = api(app.server.url, shop.token);
  expect((await call("POST", "/api/v1/payout-settings", { minimum_minor: "1000" })).status).toBe(200);
  for (const code of ["JANE01", "SAM", "NET01", "MULTI"] as const) {
    const response = await call("POST", `/api/v1/distributors/${shop.ids[code]}/payout-method`, {
      method: "bank",
      details: { account_holder: `Holder ${code}`, iban: `DE00${code}` },
    });
    expect(response.status).toBe(200);
  }
  await deliverOrder(app.server.url, shop.shopId, "5001", "JANE01");
  await deliverOrder(app.server.url, shop.shopId, "5002", "NET01", "BIG");
  await deliverOrder(app.server.url, shop.shopId, "5003", "MULTI", "BIG");
  await deliverOrder(app.server.url, shop.shopId, "5004", "MULTI", "EURO", "EUR");
  await releaseAll(shop.shopId);
}, 120_000);

const heldOf = (body: Record<string, unknown>, code: string) => (body.held_back as { code: string }[]).filter((h) => h.code === code);
const itemsOf = (body: Record<string, unknown>, code: string) => (body.items as { code: string }[]).filter((i) => i.code === code);

describe("payout runs through the REST API", () => {
  let runId: string;

  it("previews: 7.00 and 9.00 under a 10.00 minimum are held back and carried; each currency is its own item", async () => {
    const preview = await call("GET", "/api/v1/payout-runs/preview");
    expect(preview.status).toBe(200);
    expect(heldOf(preview.body, "JANE01")).toEqual([
      { distributor_id: shop.ids.JANE01, code: "JANE01", balance: money("700", "7.00"), reason: "below_threshold", minimum: money("1000", "10.00") },
    ]);
    expect(heldOf(preview.body, "SAM")).toEqual([
      { distributor_id: shop.ids.SAM, code: "SAM", balance: money("900", "9.00"), reason: "below_threshold", minimum: money("1000", "10.00") },
    ]);
    expect(itemsOf(preview.body, "MULTI")).toEqual([
      { distributor_id: shop.ids.MULTI, code: "MULTI", method: "bank", amount: money("3980", "39.80", "EUR") },
      { distributor_id: shop.ids.MULTI, code: "MULTI", method: "bank", amount: money("5000", "50.00") },
    ]);
    expect(itemsOf(preview.body, "NET01")).toEqual([{ distributor_id: shop.ids.NET01, code: "NET01", method: "bank", amount: money("5000", "50.00") }]);
    expect(preview.body.totals).toEqual([
      { currency: "EUR", items: 1, total: money("3980", "39.80", "EUR") },
      { currency: "USD", items: 2, total: money("10000", "100.00") },
    ]);
  });

  it("creates a draft run once per Idempotency-Key, and nothing moves before approval", async () => {
    const created = await call("POST", "/api/v1/payout-runs", {}, "create-run-1");
    expect(created.status).toBe(201);
    const run = created.body.payout_run as unknown as { id: string; status: string; item_count: number };
    expect(run).toMatchObject({ status: "draft", item_count: 3 });
    runId = run.id;
    const replay = await call("POST", "/api/v1/payout-runs", {}, "create-run-1");
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await db().payoutRun.count({ where: { shopId: shop.shopId } })).toBe(1);
    expect(await available(shop.shopId, shop.ids.MULTI)).toEqual({ EUR: 3_980n, USD: 5_000n });
    expect((await call("GET", `/api/v1/payout-runs/${runId}/export.csv`)).status).toBe(409);
  });

  it("approves: each item moves from the available wallet to clearing, once; carried balances stay", async () => {
    const approved = await call("POST", `/api/v1/payout-runs/${runId}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ outcome: "approved", ledger_transactions: 3, cancelled_items: 0 });
    const again = await call("POST", `/api/v1/payout-runs/${runId}/approve`, {});
    expect(again.body).toMatchObject({ outcome: "already_approved", ledger_transactions: 0 });
    expect(await available(shop.shopId, shop.ids.MULTI)).toEqual({ EUR: 0n, USD: 0n });
    expect(await available(shop.shopId, shop.ids.NET01)).toEqual({ USD: 0n });
    expect(await available(shop.shopId, shop.ids.JANE01)).toEqual({ USD: 700n });
    expect(await available(shop.shopId, shop.ids.SAM)).toEqual({ USD: 900n });
    expect(await accountSums(shop.shopId, "payouts_clearing")).toEqual({ EUR: -3_980n, USD: -10_000n });
    expect(await db().ledgerTransaction.count({ where: { shopId: shop.shopId, kind: "payout" } })).toBe(3);
  });

  it("exports the bank file and settles the items the bank confirms; the run completes", async () => {
    // The worker hands bank items to the file (submitted) and waits for the confirmation.
    await waitUntil(async () => (await db().payoutItem.count({ where: { runId, status: "submitted" } })) === 3, 20_000, "items submitted");
    const file = await call("GET", `/api/v1/payout-runs/${runId}/export.csv`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toContain("text/csv");
    const lines = file.text.trim().split("\r\n");
    expect(lines[0]).toBe("reference,name,recipient,account_holder,iban,account_number,routing_number,amount,currency,distributor_code");
    const items = await db().payoutItem.findMany({ where: { runId }, orderBy: { id: "asc" } });
    const code = (id: string) => Object.entries(shop.ids).find(([, value]) => value === id)![0];
    expect(lines.slice(1)).toEqual(
      items.map(
        (item) =>
          `${item.id},Name ${code(item.distributorId)},${code(item.distributorId).toLowerCase()}@example.com,Holder ${code(item.distributorId)},DE00${code(item.distributorId)},,,${item.currency === "EUR" ? "39.80" : "50.00"},${item.currency},${code(item.distributorId)}`,
      ),
    );

    const rows = items.map((item) => `${item.id},paid,${item.currency === "EUR" ? "39.80" : "50.00"},${item.currency},BANK-${item.currency}`);
    const wrong = `${items[0]!.id},paid,1.00,${items[0]!.currency},X`;
    const confirmed = await call("POST", `/api/v1/payout-runs/${runId}/confirmations`, {
      csv: ["reference,status,amount,currency,bank_reference", wrong, ...rows].join("\r\n"),
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ paid: 3, failed: 0 });
    expect((confirmed.body.issues as unknown as { line: number }[]).map((i) => i.line)).toEqual([2]);
    expect(await accountSums(shop.shopId, "payouts_clearing")).toEqual({ EUR: 0n, USD: 0n });
    expect(await accountSums(shop.shopId, "payouts_cash")).toEqual({ EUR: -3_980n, USD: -10_000n });
    const runs = await call("GET", "/api/v1/payout-runs");
    expect((runs.body.payout_runs as unknown as { status: string; progress: Record<string, number> }[])[0]).toMatchObject({
      status: "completed",
      progress: { paid: 3, submitted: 0 },
    });
    const history = await call("GET", `/api/v1/distributors/${shop.ids.MULTI}/payouts`);
    expect(history.body.payout_method).toEqual({ method: "bank", on_hold: false, tax_form_status: "not_collected" });
    expect((history.body.items as unknown as { status: string; amount: unknown }[]).map((i) => [i.status, i.amount])).toEqual(
      expect.arrayContaining([
        ["paid", money("3980", "39.80", "EUR")],
        ["paid", money("5000", "50.00")],
      ]),
    );
    // The same confirmation again changes nothing.
    const replayed = await call("POST", `/api/v1/payout-runs/${runId}/confirmations`, { csv: ["reference,status,amount,currency", ...rows].join("\r\n") });
    expect(replayed.body).toMatchObject({ paid: 0, failed: 0 });
    expect(await db().ledgerTransaction.count({ where: { shopId: shop.shopId, kind: "payout_settlement" } })).toBe(3);
  });

  it("nets a clawback after the payout: −50.00, then 30.00 earned pays nothing, 80.00 earned pays 30.00", async () => {
    await deliver(app.server.url, refundBody("5002", "9502", [LINE_A, LINE_B]), "refunds/create");
    await waitUntil(async () => (await available(shop.shopId, shop.ids.NET01)).USD === -5_000n, 20_000, "the clawback");
    let preview = await call("GET", "/api/v1/payout-runs/preview");
    expect(heldOf(preview.body, "NET01")).toEqual([
      { distributor_id: shop.ids.NET01, code: "NET01", balance: money("-5000", "-50.00"), reason: "negative_balance", minimum: null },
    ]);

    await deliverOrder(app.server.url, shop.shopId, "5005", "NET01", "SMALL");
    await releaseAll(shop.shopId);
    preview = await call("GET", "/api/v1/payout-runs/preview");
    expect(itemsOf(preview.body, "NET01")).toEqual([]);
    expect(heldOf(preview.body, "NET01")).toEqual([
      { distributor_id: shop.ids.NET01, code: "NET01", balance: money("-2000", "-20.00"), reason: "negative_balance", minimum: null },
    ]);

    await deliverOrder(app.server.url, shop.shopId, "5006", "NET01", "BIG");
    await releaseAll(shop.shopId);
    preview = await call("GET", "/api/v1/payout-runs/preview");
    expect(itemsOf(preview.body, "NET01")).toEqual([{ distributor_id: shop.ids.NET01, code: "NET01", method: "bank", amount: money("3000", "30.00") }]);
  });

  it("two approvals of the same run at once post one set of ledger transactions", async () => {
    const created = await call("POST", "/api/v1/payout-runs", { currency: "USD" });
    const id = (created.body.payout_run as unknown as { id: string }).id;
    const before = await db().ledgerTransaction.count({ where: { shopId: shop.shopId, kind: "payout" } });
    const [a, b] = await Promise.all([call("POST", `/api/v1/payout-runs/${id}/approve`, {}), call("POST", `/api/v1/payout-runs/${id}/approve`, {})]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.outcome, b.body.outcome].sort()).toEqual(["already_approved", "approved"]);
    expect(await db().ledgerTransaction.count({ where: { shopId: shop.shopId, kind: "payout" } })).toBe(before + 1);
    expect(await available(shop.shopId, shop.ids.NET01)).toEqual({ USD: 0n });
  });

  it("cancels an approved run before it runs: the approval is reversed to the wallet exactly", async () => {
    await deliverOrder(app.server.url, shop.shopId, "5007", "STR1", "BIG");
    await releaseAll(shop.shopId);
    await call("POST", `/api/v1/distributors/${shop.ids.STR1}/payout-method`, { method: "stripe", details: { account_id: "acct_1STR1" } });
    const created = await call("POST", "/api/v1/payout-runs", { currency: "USD" });
    const id = (created.body.payout_run as unknown as { id: string }).id;
    // No Stripe key is configured in this file, so the worker cannot pay it; approve through the service
    // path and cancel before any execution.
    const { approvePayoutRun } = await import("~/services/payouts/runs.server");
    await approvePayoutRun(db(), shop.shopId, id, "test");
    expect(await available(shop.shopId, shop.ids.STR1)).toEqual({ USD: 0n });
    const cancelled = await call("POST", `/api/v1/payout-runs/${id}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.cancelled_items).toBe(1);
    expect(await available(shop.shopId, shop.ids.STR1)).toEqual({ USD: 5_000n });
    expect((await call("POST", `/api/v1/payout-runs/${id}/approve`, {})).status).toBe(409);
  });

  it("refuses without the scope, and another shop's run is a 404", async () => {
    const { createApiToken } = await import("~/services/api/tokens.server");
    const reader = (await createApiToken(db(), shop.shopId, "ledger only", ["ledger:read"])).token;
    expect((await api(app.server.url, reader)("GET", "/api/v1/payout-runs")).status).toBe(403);
    expect((await call("GET", "/api/v1/payout-runs/00000000-0000-0000-0000-000000000000/items")).status).toBe(404);
  });
});
