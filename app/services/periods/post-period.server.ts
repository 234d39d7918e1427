/**
 * Posts a period close's ledger transactions through the one ledger writer (services/ledger/post.server.ts): the
 * drafts come from the period posting rules (app/domain/ledger/period-transactions.ts), and, for commissions and
 * corrections, the same statement writes the PeriodCommission row of each transaction it inserted, so "what the
 * period posted" is exact by construction.
 */
import { buildPeriodReleases, buildPeriodTransactions, type PeriodPostingInput, type WalletStage } from "~/domain/ledger";
import { Prisma } from "~/generated/prisma/client";
import type { Tx } from "~/db/tx.server";
import { postTransactions, type PostResult } from "~/services/ledger/post.server";

export interface PeriodPosting extends Omit<PeriodPostingInput, "occurredAt"> {
  readonly kind: "period_commission" | "period_correction";
  /** The wallet that holds the period's money: pending until the period is released. */
  readonly walletStage: WalletStage;
  readonly occurredAt: Date;
}

export function postPeriodTotals(tx: Tx, posting: PeriodPosting): Promise<PostResult> {
  const drafts = buildPeriodTransactions({ ...posting, occurredAt: posting.occurredAt.toISOString() });
  const keys = new Set(drafts.map((draft) => draft.idempotencyKey));
  const totals = posting.totals.filter((total) => keys.has(total.idempotencyKey));
  const t = {
    key: [] as string[],
    distributorId: [] as string[],
    rule: [] as string[],
    kind: [] as string[],
    currency: [] as string[],
    amount: [] as string[],
  };
  for (const total of totals) {
    t.key.push(total.idempotencyKey);
    t.distributorId.push(total.distributorId);
    t.rule.push(total.rule);
    t.kind.push(total.kind);
    t.currency.push(total.currency);
    t.amount.push(total.amountMinor.toString());
  }
  return postTransactions(
    tx,
    posting.shopId,
    drafts,
    Prisma.sql`
    recorded AS (
      INSERT INTO "PeriodCommission" ("shopId", "periodId", "revision", "rule", "distributorId", "kind", "currency", "amountMinor", "idempotencyKey")
      SELECT ${posting.shopId}::uuid, ${posting.periodId}::uuid, ${posting.revision}, v.rule, v.distributor_id::uuid, v.kind, v.currency, v.amount::bigint, v.key
      FROM unnest(${t.key}::text[], ${t.distributorId}::text[], ${t.rule}::text[], ${t.kind}::text[], ${t.currency}::text[], ${t.amount}::text[])
        AS v(key, distributor_id, rule, kind, currency, amount)
      JOIN inserted i ON i."idempotencyKey" = v.key
      RETURNING 1
    )`,
  );
}

/** Moves each (rule, recipient)'s net from the pending to the available wallet; `totals` are the positive nets. */
export function postPeriodReleases(tx: Tx, posting: Omit<PeriodPosting, "kind" | "walletStage">): Promise<PostResult> {
  return postTransactions(tx, posting.shopId, buildPeriodReleases({ ...posting, occurredAt: posting.occurredAt.toISOString() }));
}
