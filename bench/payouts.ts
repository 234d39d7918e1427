/**
 * Payouts benchmark (DESIGN.md §8, issue 12): one payout run of 100,000 payees through the product's own services,
 * target ≤ 30 s on these machines.
 *
 *   npx tsx bench/payouts.ts          (or: npm run bench -- payouts)
 *   BENCH_PAYOUT_PAYEES=10000 for a quick run; BENCH_KEEP=1 keeps the database.
 *
 * A scratch database migrated with prisma/migrations. The shop and its payout settings go through the product's
 * services; the payees (distributors, bank payout methods) and their available balances are seeded with set-based
 * SQL (one period_commission ledger transaction per payee: commission_expense → wallet_available), plus 1 % more
 * distributors below the minimum so the preview has a held-back list to build.
 *
 * Measured (run_s is their sum): the preview (previewPayouts, what GET /payout-runs/preview serves), the draft
 * run (createPayoutRun: preview again + the item rows), the approval (approvePayoutRun: re-check of every balance
 * and one balanced ledger transaction per item, 100,000 transactions and 200,000 postings, through the one ledger
 * writer), and the bank CSV export streamed to the end (streamBankFile). Also, outside run_s: approving again (a
 * no-op) and the bank's confirmation of every item imported (settlement postings).
 *
 * Baseline, same run: the same 100,000 transactions and 200,000 postings written with plain batched multi-row
 * INSERTs (1,000 rows a statement, one DB transaction, the same triggers), the least any approval must write.
 */
import pg from "pg";
import { createDatabase } from "~/db.server";
import { commissionExpenseAccount, payoutsClearingAccount, walletAvailableAccount } from "~/domain/ledger";
import { payoutKey } from "~/domain/payouts";
import { importBankConfirmation } from "~/services/payouts/confirm.server";
import { streamBankFile } from "~/services/payouts/export.server";
import { setPayoutSettings } from "~/services/payouts/methods.server";
import { previewPayouts } from "~/services/payouts/preview.server";
import { approvePayoutRun, createPayoutRun } from "~/services/payouts/runs.server";
import { ensureShopifyShop } from "~/services/shops.server";
import { machine, peakRssMb, round, writeResult, type BenchResult } from "./lib/result";
import { scratchEnvironment } from "./lib/scratch";

const PAYEES = Number(process.env.BENCH_PAYOUT_PAYEES ?? 100_000);
const HELD = Math.ceil(PAYEES / 100);
const MINIMUM_MINOR = 1_000n;
const TARGET_RUN_S = 30;
const BASELINE_BATCH = 1_000;

const log = (line: string) => console.log(`[payouts] ${line}`);

async function seconds<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, (performance.now() - started) / 1_000];
}

/**
 * PAYEES payable distributors (bank method, balance 10.00–109.99 USD) and HELD more below the minimum. Triggers
 * are skipped for the seed only (session_replication_role = replica): the rows are balanced by construction, and
 * the timed part runs with every trigger on.
 */
async function seed(client: pg.Client, shopId: string) {
  const total = PAYEES + HELD;
  await client.query("BEGIN");
  await client.query("SET LOCAL session_replication_role = replica");
  await client.query(
    `CREATE TEMP TABLE bench_payee ON COMMIT DROP AS
     SELECT n, gen_random_uuid() AS id, CASE WHEN n <= $1 THEN 1000 + (n * 7919) % 10000 ELSE 1 + n % 900 END::bigint AS amount
     FROM generate_series(1, $2) AS n`,
    [PAYEES, total],
  );
  await client.query(
    `INSERT INTO "Distributor" ("id", "shopId", "code", "status", "enrolledAt", "updatedAt", "name", "email")
     SELECT id, $1, 'P' || lpad(n::text, 7, '0'), 'active', '2025-01-01', now(), 'Payee ' || n, 'payee' || n || '@example.com' FROM bench_payee`,
    [shopId],
  );
  await client.query(
    `INSERT INTO "PayoutMethod" ("shopId", "distributorId", "method", "details", "updatedAt")
     SELECT $1, id, 'bank', jsonb_build_object('accountHolder', 'Payee ' || n, 'iban', 'DE89370400440532' || lpad(n::text, 6, '0')), now() FROM bench_payee`,
    [shopId],
  );
  await client.query(
    `CREATE TEMP TABLE bench_tx ON COMMIT DROP AS
     SELECT p.*, gen_random_uuid() AS tx FROM bench_payee p`,
  );
  await client.query(
    `INSERT INTO "LedgerTransaction" ("id", "shopId", "idempotencyKey", "kind", "occurredAt", "distributorId", "metadata")
     SELECT tx, $1, 'bench-seed:' || n, 'period_commission', '2026-01-31', id, '{}'::jsonb FROM bench_tx`,
    [shopId],
  );
  await client.query(
    `INSERT INTO "LedgerPosting" ("shopId", "transactionId", "account", "accountKind", "distributorId", "currency", "amountMinor")
     SELECT $1::uuid, tx, $2, 'commission_expense', NULL, 'USD', amount FROM bench_tx
     UNION ALL
     SELECT $1::uuid, tx, $3 || id, 'wallet_available', id, 'USD', -amount FROM bench_tx`,
    [shopId, commissionExpenseAccount(shopId, "USD"), walletAvailableAccount(shopId, "USD", "")],
  );
  await client.query("COMMIT");
  await client.query("VACUUM ANALYZE");
  const check = await client.query<{ accounts: string }>(
    `SELECT count(DISTINCT "distributorId")::text AS accounts FROM "LedgerPosting" WHERE "shopId" = $1 AND "accountKind" = 'wallet_available'`,
    [shopId],
  );
  if (Number(check.rows[0]!.accounts) !== total) throw new Error(`seeded ${check.rows[0]!.accounts} wallets, expected ${total}`);
}

/** Plain batched multi-row INSERTs of the approval's transactions and postings (other keys), in one DB transaction. */
async function baselineInserts(client: pg.Client, shopId: string, items: readonly { id: string; distributorId: string; amountMinor: bigint }[]) {
  await client.query("BEGIN");
  const clearing = payoutsClearingAccount(shopId, "USD");
  for (let start = 0; start < items.length; start += BASELINE_BATCH) {
    const batch = items.slice(start, start + BASELINE_BATCH);
    const txValues: string[] = [];
    const txParams: unknown[] = [shopId];
    batch.forEach((item, i) => {
      txValues.push(`($1, $${i * 2 + 2}, 'payout', now(), $${i * 2 + 3}, '{}'::jsonb)`);
      txParams.push(`baseline:${payoutKey(item.id, "approve")}`, item.distributorId);
    });
    const inserted = await client.query<{ id: string; distributorId: string }>(
      `INSERT INTO "LedgerTransaction" ("shopId", "idempotencyKey", "kind", "occurredAt", "distributorId", "metadata")
       VALUES ${txValues.join(", ")} RETURNING "id", "distributorId"`,
      txParams,
    );
    const amountOf = new Map(batch.map((item) => [item.distributorId, item.amountMinor]));
    const postValues: string[] = [];
    const postParams: unknown[] = [shopId];
    inserted.rows.forEach((row) => {
      const amount = amountOf.get(row.distributorId)!;
      const at = postParams.length;
      postValues.push(`($1, $${at + 1}::uuid, $${at + 2}, 'wallet_available', $${at + 3}::uuid, 'USD', $${at + 4}::bigint)`);
      postValues.push(`($1, $${at + 1}::uuid, $${at + 5}, 'payouts_clearing', NULL, 'USD', $${at + 6}::bigint)`);
      postParams.push(row.id, walletAvailableAccount(shopId, "USD", row.distributorId), row.distributorId, amount.toString(), clearing, (-amount).toString());
    });
    await client.query(
      `INSERT INTO "LedgerPosting" ("shopId", "transactionId", "account", "accountKind", "distributorId", "currency", "amountMinor") VALUES ${postValues.join(", ")}`,
      postParams,
    );
  }
  // Rolled back so the wallets stay as the approval left them; the commit-time balance checks still ran.
  await client.query("SET CONSTRAINTS ALL IMMEDIATE");
  await client.query("ROLLBACK");
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<{ bytes: number; lines: number }> {
  let bytes = 0;
  let lines = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes, lines };
    bytes += value.byteLength;
    for (const byte of value) if (byte === 10) lines++;
  }
}

export async function run(): Promise<BenchResult> {
  const env = await scratchEnvironment("payouts");
  const { prisma } = createDatabase(env.databaseUrl, 4);
  const client = new pg.Client({ connectionString: env.databaseUrl });
  await client.connect();
  try {
    const shopId = (await ensureShopifyShop(prisma, "payouts-bench.myshopify.com")).id;
    await setPayoutSettings(prisma, shopId, { minimum_minor: MINIMUM_MINOR, method_minimums: {}, schedule: "manual", auto_approve: false }, "bench");
    const [, seedS] = await seconds(() => seed(client, shopId));
    log(`seeded ${PAYEES} payees and ${HELD} below the minimum in ${round(seedS)} s`);

    const [preview, previewS] = await seconds(() => previewPayouts(prisma, shopId));
    log(`preview: ${preview.items.length} items, ${preview.heldBack.length} held back in ${round(previewS)} s`);
    if (preview.items.length !== PAYEES || preview.heldBack.length !== HELD) throw new Error("the preview does not match the seed");

    const [{ runId }, createS] = await seconds(() => createPayoutRun(prisma, shopId, { actor: "bench" }));
    log(`draft run ${runId} in ${round(createS)} s`);
    const [approval, approveS] = await seconds(() => approvePayoutRun(prisma, shopId, runId, "bench"));
    log(`approved: ${approval.posted} ledger transactions, ${approval.cancelled} cancelled in ${round(approveS)} s`);
    if (approval.posted !== PAYEES) throw new Error(`approval posted ${approval.posted} transactions, expected ${PAYEES}`);
    const [file, exportS] = await seconds(() => drain(streamBankFile(prisma, shopId, runId)));
    log(`bank file: ${file.lines} lines, ${round(file.bytes / 1_048_576, 1)} MB in ${round(exportS)} s`);
    if (file.lines !== PAYEES + 1) throw new Error(`the bank file has ${file.lines} lines, expected ${PAYEES + 1}`);
    const runS = previewS + createS + approveS + exportS;

    const [again, approveAgainS] = await seconds(() => approvePayoutRun(prisma, shopId, runId, "bench"));
    if (again.posted !== 0) throw new Error("a second approval posted");

    const items = await prisma.payoutItem.findMany({ where: { shopId, runId }, select: { id: true, distributorId: true, amountMinor: true, currency: true } });
    const confirmation = [
      "reference,status,amount,currency",
      ...items.map((i) => `${i.id},paid,${(Number(i.amountMinor) / 100).toFixed(2)},${i.currency}`),
    ].join("\n");
    await prisma.payoutRun.update({ where: { id: runId }, data: { status: "executing" } });
    const [confirmed, confirmS] = await seconds(() => importBankConfirmation(prisma, shopId, runId, confirmation));
    log(`bank confirmation: ${confirmed.paid} paid in ${round(confirmS)} s`);
    if (confirmed.paid !== PAYEES) throw new Error(`the confirmation settled ${confirmed.paid} items`);

    const [, baselineS] = await seconds(() => baselineInserts(client, shopId, items));
    log(`baseline: plain batched INSERTs of ${items.length} transactions and ${items.length * 2} postings in ${round(baselineS)} s`);

    const postings = await client.query<{ kind: string; n: string; total: string }>(
      `SELECT "accountKind" AS kind, count(*)::text AS n, sum("amountMinor")::text AS total FROM "LedgerPosting" WHERE "shopId" = $1 GROUP BY 1 ORDER BY 1`,
      [shopId],
    );
    const byKind = Object.fromEntries(postings.rows.map((row) => [row.kind, BigInt(row.total)]));
    if (byKind.payouts_clearing !== 0n) throw new Error(`payouts_clearing does not net to zero: ${byKind.payouts_clearing}`);

    const result: BenchResult = {
      name: "payouts",
      when: new Date().toISOString(),
      machine: machine(),
      params: {
        payees: PAYEES,
        held_back: HELD,
        currency: "USD",
        method: "bank (CSV export)",
        minimum_minor: MINIMUM_MINOR.toString(),
        load_average_at_start: loadAverage,
      },
      metrics: {
        payees: PAYEES,
        run_s: round(runS, 2),
        preview_s: round(previewS, 2),
        create_run_s: round(createS, 2),
        approve_s: round(approveS, 2),
        csv_export_s: round(exportS, 2),
        csv_mb: round(file.bytes / 1_048_576, 1),
        approve_again_s: round(approveAgainS, 3),
        confirm_import_s: round(confirmS, 2),
        ledger_transactions_per_s: round(PAYEES / approveS, 0),
        bench_process_peak_rss_mb: peakRssMb(process.pid),
      },
      baseline: {
        name: "same-run plain batched multi-row INSERTs (1,000 rows a statement) of the approval's transactions and postings",
        insert_s: round(baselineS, 2),
      },
      ratios: { approve_vs_baseline: round(approveS / baselineS, 2), run_vs_target: round(runS / TARGET_RUN_S, 3) },
      targets: { run_s: `≤ ${TARGET_RUN_S}` },
    };
    const file_ = writeResult(result);
    log(
      `load average now ${(await import("node:os"))
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}; wrote ${file_}`,
    );
    return result;
  } finally {
    await client.end();
    await prisma.$disconnect();
    if (process.env.BENCH_KEEP !== "1") await env.drop();
  }
}

const loadAverage = (await import("node:os")).loadavg().map((l) => round(l, 2));

if (import.meta.url === `file://${process.argv[1]}`) await run();
