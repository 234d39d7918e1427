/**
 * Period ledger transactions, one per (period, rule, recipient) under a deterministic key, append-only:
 *   period_commission   the first close's totals (periodLineKey): debit commission expense, credit the wallet
 *   period_correction   a re-close's differences (periodCorrectionKey), either sign: the same two postings, the
 *                       signs turned when negative
 *   hold_release        once the refund window after the period has passed: what the period left in the pending
 *                       wallet moves to the available wallet (periodReleaseKey)
 * Commissions and corrections credit the pending wallet until the period is released, the available wallet
 * after (a negative correction then may take it below zero: the debt carries, like a clawback).
 *
 * Written here rather than through the per-order writer (services/ledger/post.server.ts) because a period
 * transaction has no order; the statement has the same shape: ON CONFLICT DO NOTHING on (shop, idempotency key),
 * postings only for the transactions it inserted, and, for commissions and corrections, the PeriodCommission row
 * of each, so "what the period posted" is exact by construction.
 */
import { joinKey } from "~/domain/engine/entry-key";
import { assertBalanced, commissionExpenseAccount, walletAccount, walletAvailableAccount, walletPendingAccount, type WalletStage } from "~/domain/ledger";
import type { PeriodLineTotal } from "~/domain/periods";
import { Prisma } from "~/generated/prisma/client";
import type { Tx } from "~/db/tx.server";

export type PeriodTransactionKind = "period_commission" | "period_correction" | "hold_release";

export interface PeriodPosting {
  readonly shopId: string;
  readonly periodId: string;
  readonly periodKey: string;
  /** The revision this close posts (1 for the first close). */
  readonly revision: number;
  readonly kind: "period_commission" | "period_correction";
  /** The wallet that holds the period's money: pending until the period is released. */
  readonly walletStage: WalletStage;
  readonly occurredAt: Date;
  readonly totals: readonly PeriodLineTotal[];
}

interface Leg {
  readonly account: string;
  readonly accountKind: string;
  readonly distributorId: string | null;
  readonly amountMinor: bigint;
  readonly currency: string;
}

interface Entry {
  readonly total: Pick<PeriodLineTotal, "idempotencyKey" | "rule" | "kind" | "distributorId" | "amountMinor" | "currency">;
  readonly legs: readonly Leg[];
}

export function periodReleaseKey(periodKey: string, rule: string, distributorId: string): string {
  return joinKey(["period-release", periodKey, rule, distributorId]);
}

export function postPeriodTotals(tx: Tx, posting: PeriodPosting) {
  const { shopId } = posting;
  const entries = posting.totals
    .filter((total) => total.amountMinor !== 0n)
    .map((total): Entry => ({
      total,
      legs: [
        { account: commissionExpenseAccount(shopId, total.currency), accountKind: "commission_expense", distributorId: null, amountMinor: total.amountMinor, currency: total.currency },
        {
          account: walletAccount(posting.walletStage, shopId, total.currency, total.distributorId),
          accountKind: `wallet_${posting.walletStage}`,
          distributorId: total.distributorId,
          amountMinor: -total.amountMinor,
          currency: total.currency,
        },
      ],
    }));
  return insertPeriodTransactions(tx, posting, entries, true);
}

/** Moves each (rule, recipient)'s net from the pending to the available wallet; `totals` are the positive nets. */
export function postPeriodReleases(tx: Tx, posting: Omit<PeriodPosting, "kind" | "walletStage">) {
  const { shopId } = posting;
  const entries = posting.totals
    .filter((total) => total.amountMinor > 0n)
    .map((total): Entry => ({
      total: { ...total, idempotencyKey: periodReleaseKey(posting.periodKey, total.rule, total.distributorId) },
      legs: [
        { account: walletPendingAccount(shopId, total.currency, total.distributorId), accountKind: "wallet_pending", distributorId: total.distributorId, amountMinor: total.amountMinor, currency: total.currency },
        { account: walletAvailableAccount(shopId, total.currency, total.distributorId), accountKind: "wallet_available", distributorId: total.distributorId, amountMinor: -total.amountMinor, currency: total.currency },
      ],
    }));
  return insertPeriodTransactions(tx, { ...posting, kind: "hold_release" }, entries, false);
}

async function insertPeriodTransactions(
  tx: Tx,
  posting: Pick<PeriodPosting, "shopId" | "periodId" | "periodKey" | "revision" | "occurredAt"> & { kind: PeriodTransactionKind },
  entries: readonly Entry[],
  recordCommissions: boolean,
): Promise<{ transactions: number; postings: number }> {
  if (entries.length === 0) return { transactions: 0, postings: 0 };
  const { shopId } = posting;
  const t = { key: [] as string[], distributorId: [] as string[], metadata: [] as string[], rule: [] as string[], kind: [] as string[], currency: [] as string[], amount: [] as string[] };
  const p = { key: [] as string[], account: [] as string[], accountKind: [] as string[], distributorId: [] as (string | null)[], currency: [] as string[], amount: [] as string[] };
  for (const { total, legs } of entries) {
    // The legs are built above; checked again at the door, because an unbalanced row must never land.
    assertBalanced(legs);
    t.key.push(total.idempotencyKey);
    t.distributorId.push(total.distributorId);
    t.rule.push(total.rule);
    t.kind.push(total.kind);
    t.currency.push(total.currency);
    t.amount.push(total.amountMinor.toString());
    t.metadata.push(
      JSON.stringify({ shopId, periodId: posting.periodId, periodKey: posting.periodKey, revision: posting.revision, rule: total.rule, kind: total.kind, distributorId: total.distributorId }),
    );
    for (const leg of legs) {
      p.key.push(total.idempotencyKey);
      p.account.push(leg.account);
      p.accountKind.push(leg.accountKind);
      p.distributorId.push(leg.distributorId);
      p.currency.push(leg.currency);
      p.amount.push(leg.amountMinor.toString());
    }
  }
  const record = recordCommissions
    ? Prisma.sql`,
    recorded AS (
      INSERT INTO "PeriodCommission" ("shopId", "periodId", "revision", "rule", "distributorId", "kind", "currency", "amountMinor", "idempotencyKey")
      SELECT ${shopId}::uuid, ${posting.periodId}::uuid, ${posting.revision}, v.rule, v.distributor_id::uuid, v.kind, v.currency, v.amount::bigint, v.key
      FROM unnest(${t.key}::text[], ${t.distributorId}::text[], ${t.rule}::text[], ${t.kind}::text[], ${t.currency}::text[], ${t.amount}::text[])
        AS v(key, distributor_id, rule, kind, currency, amount)
      JOIN inserted i ON i."idempotencyKey" = v.key
      RETURNING 1
    )`
    : Prisma.empty;
  const [result] = await tx.$queryRaw<{ transactions: number; postings: number }[]>`
    WITH inserted AS (
      INSERT INTO "LedgerTransaction" ("shopId", "idempotencyKey", "kind", "occurredAt", "orderId", "distributorId", "metadata")
      SELECT ${shopId}::uuid, v.key, ${posting.kind}::"LedgerTransactionKind", ${posting.occurredAt}, NULL, v.distributor_id::uuid, v.metadata::jsonb
      FROM unnest(${t.key}::text[], ${t.distributorId}::text[], ${t.metadata}::text[]) AS v(key, distributor_id, metadata)
      ON CONFLICT ("shopId", "idempotencyKey") DO NOTHING
      RETURNING "id", "idempotencyKey"
    ),
    posted AS (
      INSERT INTO "LedgerPosting" ("shopId", "transactionId", "account", "accountKind", "distributorId", "currency", "amountMinor")
      SELECT ${shopId}::uuid, i."id", p.account, p.kind, p.distributor_id::uuid, p.currency, p.amount::bigint
      FROM unnest(${p.key}::text[], ${p.account}::text[], ${p.accountKind}::text[], ${p.distributorId}::text[], ${p.currency}::text[],
        ${p.amount}::text[]) AS p(key, account, kind, distributor_id, currency, amount)
      JOIN inserted i ON i."idempotencyKey" = p.key
      RETURNING 1
    )${record}
    SELECT (SELECT count(*) FROM inserted)::int AS transactions, (SELECT count(*) FROM posted)::int AS postings`;
  return result ?? { transactions: 0, postings: 0 };
}
