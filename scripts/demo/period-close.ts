import { randomUUID } from "node:crypto";
import type { Db } from "~/db.server";
import { formatMinor } from "~/domain/money";
import { createApiToken } from "~/services/api/tokens.server";

interface CloseAnswer {
  action: "closed" | "already_closed";
  summary?: { lines: number; totalMinor: string; currency: string; ranksWritten: number; deferredPayouts: number; breakageMinor: string; transactions: number };
}

/**
 * Closes the demo's month the way an operator's script would: `POST /api/v1/periods/close` with a token and an
 * Idempotency-Key, then once more with a new key, which must post nothing. Prints what the close paid by rule and
 * the ranks it wrote.
 */
export async function closeDemoPeriod(db: Db, shopId: string, baseUrl: string, periodStart: string, log: (line: string) => void): Promise<void> {
  const { token } = await createApiToken(db, shopId, "demo period close", ["periods:write", "periods:read"]);
  const close = async (): Promise<CloseAnswer> => {
    const response = await fetch(`${baseUrl}/api/v1/periods/close`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
      body: JSON.stringify({ period_start: periodStart }),
    });
    if (response.status !== 200) throw new Error(`closing the period answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as CloseAnswer;
  };

  const first = await close();
  if (first.action !== "closed" || !first.summary) throw new Error(`the first close of ${periodStart} did not close it (${first.action})`);
  const { summary } = first;
  log(
    `Closed the period from ${periodStart.slice(0, 10)}: ${summary.lines} bonus lines, ${formatMinor(BigInt(summary.totalMinor), summary.currency)} ${summary.currency} in ${summary.transactions} ledger transactions, ${summary.ranksWritten} ranks written, breakage ${formatMinor(BigInt(summary.breakageMinor), summary.currency)}, ${summary.deferredPayouts} balances below the minimum payout carried.`,
  );

  const byRule = await db.$queryRaw<{ rule: string; kind: string; recipients: bigint; total: bigint; currency: string }[]>`
    SELECT "rule", "kind", count(*)::bigint AS recipients, sum("amountMinor")::bigint AS total, "currency"
    FROM "PeriodCommission" WHERE "shopId" = ${shopId}::uuid GROUP BY "rule", "kind", "currency" ORDER BY "rule"`;
  for (const row of byRule)
    log(`  ${row.rule.padEnd(12)} ${String(row.recipients).padStart(4)} recipients   ${formatMinor(row.total, row.currency).padStart(10)} ${row.currency}`);
  const ranks = await db.$queryRaw<{ rank: string | null; count: bigint }[]>`
    SELECT "paidAsRank" AS rank, count(*)::bigint AS count FROM "DistributorRankPeriod" WHERE "shopId" = ${shopId}::uuid GROUP BY 1 ORDER BY 1`;
  log(`  paid-as ranks: ${ranks.map((row) => `${row.rank ?? "none"} ${row.count}`).join(", ") || "none qualified"}`);

  const before = await db.ledgerTransaction.count({ where: { shopId } });
  const second = await close();
  const after = await db.ledgerTransaction.count({ where: { shopId } });
  log(`Closing it again (a new request): ${second.action}, ${after - before} new ledger transactions.`);
  if (second.action !== "already_closed" || after !== before) throw new Error("a second close posted something");
}
