/** A distributor's wallet entries, newest first, paginated by posting id (stable: postings are append-only). */
import type { DbOrTx } from "~/db/tx.server";
import type { LedgerTransactionKind } from "~/generated/prisma/enums";

export interface WalletEntry {
  readonly postingId: bigint;
  readonly transactionId: string;
  readonly kind: LedgerTransactionKind;
  readonly accountKind: "wallet_pending" | "wallet_available";
  readonly currency: string;
  /** As posted: negative = credited to the distributor (wallets are liabilities). */
  readonly amountMinor: bigint;
  readonly occurredAt: Date;
  readonly createdAt: Date;
  readonly orderId: string | null;
  readonly idempotencyKey: string;
  readonly refundId: string | null;
}

export async function walletEntries(
  client: DbOrTx,
  shopId: string,
  distributorId: string,
  page: { limit: number; before: bigint | null },
): Promise<{ entries: WalletEntry[]; nextBefore: bigint | null }> {
  const rows = await client.$queryRaw<WalletEntry[]>`
    SELECT p."id" AS "postingId", t."id" AS "transactionId", t."kind"::text AS kind, p."accountKind", p."currency",
      p."amountMinor", t."occurredAt", t."createdAt", t."orderId", t."idempotencyKey", t."metadata"->>'refundId' AS "refundId"
    FROM "LedgerPosting" p
    JOIN "LedgerTransaction" t ON t."id" = p."transactionId"
    WHERE p."shopId" = ${shopId}::uuid AND p."distributorId" = ${distributorId}::uuid
      AND p."accountKind" IN ('wallet_pending', 'wallet_available')
      AND (${page.before}::bigint IS NULL OR p."id" < ${page.before}::bigint)
    ORDER BY p."id" DESC
    LIMIT ${page.limit + 1}`;
  const entries = rows.slice(0, page.limit);
  return { entries, nextBefore: rows.length > page.limit ? entries[entries.length - 1]!.postingId : null };
}
