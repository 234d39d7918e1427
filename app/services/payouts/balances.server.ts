/**
 * The inputs of a payout plan, read from the ledger and the shop's settings: each (distributor, currency)'s
 * available wallet balance (minus the sum of its postings, so every clawback is already netted), who the
 * payees are (status, company node, payout method) and the shop's rules.
 */
import type { Payee, PayeeBalance, PayoutMethodKind, PayoutRules } from "~/domain/payouts";
import type { DbOrTx } from "~/db/tx.server";

export async function availableBalances(client: DbOrTx, shopId: string, distributorIds: readonly string[] | null = null): Promise<PayeeBalance[]> {
  const rows = await client.$queryRaw<{ distributorId: string; currency: string; owed: bigint }[]>`
    SELECT "distributorId", "currency", -sum("amountMinor")::bigint AS owed
    FROM "LedgerPosting"
    WHERE "shopId" = ${shopId}::uuid AND "accountKind" = 'wallet_available'
      AND (${distributorIds === null} OR "distributorId" = ANY(${distributorIds ?? []}::uuid[]))
    GROUP BY "distributorId", "currency"`;
  return rows.map((row) => ({ distributorId: row.distributorId, currency: row.currency, availableMinor: row.owed }));
}

/**
 * Every (distributor, currency) available balance of the shop with its payee facts, in one statement: the
 * preview of a run of 100,000 payees reads them in one pass instead of sending their ids back in a second query.
 */
export async function payeeBalances(client: DbOrTx, shopId: string): Promise<{ balances: PayeeBalance[]; payees: Map<string, Payee & { code: string }> }> {
  const rows = await client.$queryRaw<
    {
      distributorId: string;
      currency: string;
      owed: bigint;
      code: string | null;
      status: string | null;
      isCompanyNode: boolean | null;
      method: PayoutMethodKind | null;
      onHold: boolean | null;
    }[]
  >`
    SELECT b."distributorId", b."currency", b.owed, d."code", d."status"::text AS status, d."isCompanyNode", m."method"::text AS method, m."onHold"
    FROM (
      SELECT "distributorId", "currency", -sum("amountMinor")::bigint AS owed
      FROM "LedgerPosting"
      WHERE "shopId" = ${shopId}::uuid AND "accountKind" = 'wallet_available'
      GROUP BY "distributorId", "currency"
    ) b
    LEFT JOIN "Distributor" d ON d."shopId" = ${shopId}::uuid AND d."id" = b."distributorId"
    LEFT JOIN "PayoutMethod" m ON m."shopId" = ${shopId}::uuid AND m."distributorId" = b."distributorId"`;
  const balances: PayeeBalance[] = [];
  const payees = new Map<string, Payee & { code: string }>();
  for (const row of rows) {
    balances.push({ distributorId: row.distributorId, currency: row.currency, availableMinor: row.owed });
    if (row.code === null || payees.has(row.distributorId)) continue;
    payees.set(row.distributorId, {
      distributorId: row.distributorId,
      code: row.code,
      status: row.status ?? "unknown",
      isCompanyNode: row.isCompanyNode ?? false,
      method: row.method ? { kind: row.method, onHold: row.onHold ?? false } : null,
    });
  }
  return { balances, payees };
}

export async function payeesOf(client: DbOrTx, shopId: string, distributorIds: readonly string[]): Promise<Map<string, Payee & { code: string }>> {
  const rows = await client.$queryRaw<
    { id: string; code: string; status: string; isCompanyNode: boolean; method: PayoutMethodKind | null; onHold: boolean | null }[]
  >`
    SELECT d."id", d."code", d."status"::text AS status, d."isCompanyNode", m."method"::text AS method, m."onHold"
    FROM "Distributor" d
    LEFT JOIN "PayoutMethod" m ON m."shopId" = d."shopId" AND m."distributorId" = d."id"
    WHERE d."shopId" = ${shopId}::uuid AND d."id" = ANY(${distributorIds}::uuid[])`;
  return new Map(
    rows.map((row) => [
      row.id,
      {
        distributorId: row.id,
        code: row.code,
        status: row.status,
        isCompanyNode: row.isCompanyNode,
        method: row.method ? { kind: row.method, onHold: row.onHold ?? false } : null,
      },
    ]),
  );
}

export async function payoutRules(client: DbOrTx, shopId: string): Promise<PayoutRules & { schedule: string; autoApprove: boolean }> {
  const row = await client.payoutSettings.findUnique({ where: { shopId } });
  const methodMinimums: PayoutRules["methodMinimums"] = {};
  for (const [method, value] of Object.entries((row?.methodMinimums ?? {}) as Record<string, string>)) {
    methodMinimums[method as PayoutMethodKind] = BigInt(value);
  }
  return { minimumMinor: row?.minimumMinor ?? 0n, methodMinimums, schedule: row?.schedule ?? "manual", autoApprove: row?.autoApprove ?? false };
}
