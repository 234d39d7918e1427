import type { Db } from "~/db.server";
import { formatMinor } from "~/domain/money";
import { reconcileShopDay } from "~/services/commissions/reconcile.server";

/** Waits until no inbox row of the shop is still pending, processing or retrying. */
export async function waitForInboxToSettle(db: Db, shopId: string, timeoutMs: number, onProgress: (done: number, total: number) => void) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [open, total] = await Promise.all([
      db.webhookEvent.count({ where: { shopId, status: { in: ["pending", "processing", "failed"] } } }),
      db.webhookEvent.count({ where: { shopId } }),
    ]);
    onProgress(total - open, total);
    if (open === 0) return;
    if (Date.now() > deadline) throw new Error(`${open} inbox events still open after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function printIngestSummary(db: Db, shopId: string, log: (line: string) => void) {
  const events = await db.webhookEvent.groupBy({
    by: ["platform", "status"],
    where: { shopId },
    _count: { _all: true },
    orderBy: [{ platform: "asc" }, { status: "asc" }],
  });
  log("Inbox (one row per distinct event, whatever the number of deliveries):");
  for (const row of events) log(`  ${row.platform.padEnd(12)} ${row.status.padEnd(10)} ${row._count._all}`);

  const orders = await db.order.groupBy({
    by: ["platform", "currency"],
    where: { shopId },
    _count: { _all: true },
    _sum: { subtotalMinor: true, discountMinor: true, totalMinor: true },
    orderBy: { platform: "asc" },
  });
  log("Orders stored:");
  for (const row of orders) {
    const net = (row._sum.subtotalMinor ?? 0n) - (row._sum.discountMinor ?? 0n);
    log(
      `  ${row.platform.padEnd(12)} ${String(row._count._all).padStart(4)} orders   net ${formatMinor(net, row.currency).padStart(10)} ${row.currency}   total ${formatMinor(row._sum.totalMinor ?? 0n, row.currency)} ${row.currency}`,
    );
  }
  const refunds = await db.refund.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } });
  for (const row of refunds) log(`Refunds ${row.status}: ${row._count._all}`);
}

export async function printLedgerSummary(db: Db, shopId: string, log: (line: string) => void) {
  const rows = await db.$queryRaw<{ code: string; status: string; currency: string; pending: bigint; available: bigint }[]>`
    SELECT d."code", d."status"::text AS "status", p."currency",
      -sum(CASE WHEN p."accountKind" = 'wallet_pending' THEN p."amountMinor" ELSE 0 END)::bigint AS "pending",
      -sum(CASE WHEN p."accountKind" = 'wallet_available' THEN p."amountMinor" ELSE 0 END)::bigint AS "available"
    FROM "LedgerPosting" p JOIN "Distributor" d ON d."id" = p."distributorId"
    WHERE p."shopId" = ${shopId}::uuid
    GROUP BY d."code", d."status", p."currency"
    ORDER BY -sum(p."amountMinor") DESC, d."code"`;
  const [transactions, postings] = await Promise.all([db.ledgerTransaction.count({ where: { shopId } }), db.ledgerPosting.count({ where: { shopId } })]);
  log(`Ledger: ${transactions} transactions, ${postings} postings, ${rows.length} distributors earning. Top earners:`);
  log(`  ${"distributor".padEnd(12)} ${"status".padEnd(9)} ${"pending".padStart(10)} ${"available".padStart(10)}`);
  for (const row of rows.slice(0, 15)) {
    log(
      `  ${row.code.padEnd(12)} ${row.status.padEnd(9)} ${formatMinor(row.pending, row.currency).padStart(10)} ${formatMinor(row.available, row.currency).padStart(10)} ${row.currency}`,
    );
  }
  const totals = new Map<string, bigint>();
  for (const row of rows) totals.set(row.currency, (totals.get(row.currency) ?? 0n) + row.pending + row.available);
  for (const [currency, total] of totals) log(`  all distributors: ${formatMinor(total, currency)} ${currency} owed`);
}

/**
 * Reconciles every day with orders (against the ledger and against what the platform reported: refund gaps,
 * dropped money, the company node's wallet) and returns how many days do not balance, printing why.
 */
export async function printReconciliation(db: Db, shopId: string, log: (line: string) => void) {
  const days = await db.$queryRaw<{ day: string }[]>`
    SELECT DISTINCT to_char("orderedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "day" FROM "Order" WHERE "shopId" = ${shopId}::uuid ORDER BY 1`;
  let unbalanced = 0;
  let compared = 0;
  const reversals = { refunds: 0, gaps: 0, dropped: 0 };
  for (const { day } of days) {
    const report = await reconcileShopDay(db, shopId, day);
    compared += report.ordersCompared;
    reversals.gaps += report.refundGaps.length;
    reversals.dropped += report.droppedMoney.length;
    if (report.balanced) continue;
    unbalanced += 1;
    const deltas = report.totals
      .filter((total) => total.deltaMinor !== 0n)
      .map((total) => `${formatMinor(total.deltaMinor, total.currency)} ${total.currency}`);
    log(
      `  ${day}: ${report.items.length} orders off, ${report.refundGaps.length} refund gaps, ${report.droppedMoney.length} amounts dropped, ` +
        `${report.companyWallet.length} company wallet balances, ${report.unappliedRefundIds.length} refunds unapplied${deltas.length > 0 ? ` (delta ${deltas.join(", ")})` : ""}`,
    );
  }
  reversals.refunds = await db.commissionReversal.count({ where: { shopId, status: "applied" } });
  log(
    `Reconciliation over ${days.length} days, ${compared} orders: ${unbalanced === 0 ? "delta 0" : `${unbalanced} days unbalanced`}` +
      ` (${reversals.refunds} refunds reversed, ${reversals.gaps} refund gaps, ${reversals.dropped} plan amounts dropped).`,
  );
  return unbalanced;
}

/** Who the customers/create webhooks enrolled, and under whom (their referrer, or the company). */
export async function printEnrollments(db: Db, shopId: string, log: (line: string) => void) {
  const rows = await db.$queryRaw<{ code: string; sponsor: string | null }[]>`
    SELECT d."code", s."code" AS sponsor
    FROM "DistributorCustomerRef" r
    JOIN "Distributor" d ON d."shopId" = r."shopId" AND d."id" = r."distributorId"
    LEFT JOIN "SponsorEdge" e ON e."shopId" = d."shopId" AND e."distributorId" = d."id" AND e."validTo" IS NULL
    LEFT JOIN "Distributor" s ON s."shopId" = e."shopId" AND s."id" = e."sponsorId"
    WHERE r."shopId" = ${shopId}::uuid
    ORDER BY s."code" NULLS LAST, d."code"`;
  log(`Sign-ups enrolled from customers/create: ${rows.length} (${rows.map((row) => `${row.code} under ${row.sponsor ?? "nobody"}`).join(", ")})`);
}
