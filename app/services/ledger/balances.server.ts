/**
 * Wallet balances are derived from the postings, never stored: the sum of an account's postings IS its
 * balance, so it cannot drift from the ledger, and posting needs no hot balance row that every order of a shop
 * would contend on (the commission-expense account is touched by every single order). The index on
 * (shopId, distributorId, id) keeps a distributor's sum an index range scan.
 *
 * Wallets are liabilities (credits are negative postings), so what the shop owes the distributor is minus the
 * sum. A clawback after release can make the available balance negative: a debt that later earnings pay off.
 */
import type { DbOrTx } from "~/db/tx.server";

export interface WalletBalance {
  readonly currency: string;
  readonly pendingMinor: bigint;
  readonly availableMinor: bigint;
}

export async function walletBalances(client: DbOrTx, shopId: string, distributorId: string): Promise<WalletBalance[]> {
  const rows = await client.$queryRaw<{ currency: string; accountKind: string; owed: bigint }[]>`
    SELECT "currency", "accountKind", -sum("amountMinor")::bigint AS owed
    FROM "LedgerPosting"
    WHERE "shopId" = ${shopId}::uuid AND "distributorId" = ${distributorId}::uuid
      AND "accountKind" IN ('wallet_pending', 'wallet_available')
    GROUP BY "currency", "accountKind"
    ORDER BY "currency"`;
  const byCurrency = new Map<string, { pendingMinor: bigint; availableMinor: bigint }>();
  for (const row of rows) {
    const balance = byCurrency.get(row.currency) ?? { pendingMinor: 0n, availableMinor: 0n };
    if (row.accountKind === "wallet_pending") balance.pendingMinor = row.owed;
    else balance.availableMinor = row.owed;
    byCurrency.set(row.currency, balance);
  }
  return [...byCurrency].map(([currency, balance]) => ({ currency, ...balance }));
}
