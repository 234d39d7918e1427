/**
 * The one ledger writer: writes ledger transaction drafts (app/domain/ledger), an order's or a period's, as they
 * are: append-only, in the caller's transaction, idempotent by the database. One statement inserts the
 * transactions with ON CONFLICT DO NOTHING on (shop, idempotency key) and the postings of exactly the
 * transactions it inserted, so a replayed job, a duplicate webhook or two workers racing on one order post
 * nothing twice. The database checks again at commit that every transaction balances (migration 20261205100000).
 */
import { assertBalanced, draftOrderId, parseAccount, type AnyLedgerTransactionDraft } from "~/domain/ledger";
import { Prisma } from "~/generated/prisma/client";
import type { Tx } from "~/db/tx.server";
import { countLedgerTransactions } from "~/services/metrics/metrics.server";

/** Drafts per statement when a caller hands over more (and no extra CTEs that must see every row at once). */
export const POST_CHUNK = 5_000;

export interface PostResult {
  /** Transactions written now (the rest already existed). */
  readonly transactions: number;
  readonly postings: number;
}

/**
 * A select-list column, for the statement that holds the `inserted` CTE: the inserted transactions counted by
 * kind, as JSON (`{"order_commission": 1}`), for the ledger metric (countLedgerTransactions).
 */
export const INSERTED_KINDS = Prisma.sql`(SELECT coalesce(json_object_agg(k, n), '{}'::json) FROM (SELECT "kind"::text AS k, count(*)::int AS n FROM inserted GROUP BY 1) AS by_kind) AS "insertedKinds"`;

/**
 * Writes the drafts. `alsoCtes`, more data-modifying CTEs (comma-separated, none trailing), lets a caller write
 * rows that belong to exactly the transactions inserted (they may join `inserted`: "id", "idempotencyKey").
 */
export async function postTransactions(
  tx: Tx,
  shopId: string,
  drafts: readonly AnyLedgerTransactionDraft[],
  alsoCtes: Prisma.Sql = Prisma.empty,
): Promise<PostResult> {
  if (drafts.length === 0) return { transactions: 0, postings: 0 };
  if (drafts.length > POST_CHUNK && alsoCtes === Prisma.empty) {
    // A payout run approves 100,000 items at once: one statement per chunk keeps each statement's arrays and
    // the server's per-statement memory bounded; all in the caller's transaction, so still all or nothing.
    let transactions = 0;
    let postings = 0;
    for (let start = 0; start < drafts.length; start += POST_CHUNK) {
      const part = await postTransactions(tx, shopId, drafts.slice(start, start + POST_CHUNK));
      transactions += part.transactions;
      postings += part.postings;
    }
    return { transactions, postings };
  }
  const also = alsoCtes === Prisma.empty ? Prisma.empty : Prisma.sql`, ${alsoCtes}`;
  const [result] = await tx.$queryRaw<(PostResult & { insertedKinds: Record<string, number> })[]>`
    WITH ${ledgerWriteCtes(shopId, drafts)}${also}
    SELECT (SELECT count(*) FROM inserted)::int AS transactions, (SELECT count(*) FROM posted)::int AS postings, ${INSERTED_KINDS}`;
  countLedgerTransactions(result?.insertedKinds);
  return { transactions: result?.transactions ?? 0, postings: result?.postings ?? 0 };
}

/**
 * The two data-modifying CTEs `inserted` (transactions) and `posted` (their postings), for a caller that folds
 * the ledger write into a larger statement. `guard`, a SQL condition, lets it make the write depend on an
 * earlier CTE of that statement (e.g. "the order's Commission row was inserted by this statement").
 */
export function ledgerWriteCtes(shopId: string, drafts: readonly AnyLedgerTransactionDraft[], guard: Prisma.Sql = Prisma.sql`true`): Prisma.Sql {
  // Column arrays, unnested in SQL: a dozen parameters however many rows, which costs far less to bind than
  // one parameter per cell.
  const t = {
    key: [] as string[],
    kind: [] as string[],
    occurredAt: [] as string[],
    orderId: [] as (string | null)[],
    distributorId: [] as string[],
    metadata: [] as string[],
  };
  const p = {
    key: [] as string[],
    account: [] as string[],
    kind: [] as string[],
    distributorId: [] as (string | null)[],
    currency: [] as string[],
    amount: [] as string[],
  };
  for (const draft of drafts) {
    // The builders check this already; checked again at the door, because an unbalanced row must never land.
    assertBalanced(draft.postings);
    if (draft.metadata.shopId !== shopId) throw new RangeError(`draft ${draft.idempotencyKey} belongs to shop ${draft.metadata.shopId}`);
    t.key.push(draft.idempotencyKey);
    t.kind.push(draft.kind);
    t.occurredAt.push(draft.occurredAt);
    t.orderId.push(draftOrderId(draft));
    t.distributorId.push(draft.metadata.distributorId);
    t.metadata.push(JSON.stringify(draft.metadata));
    for (const posting of draft.postings) {
      const account = parseAccount(posting.account);
      if (account === null || account.shopId !== shopId) throw new RangeError(`posting to foreign or unknown account ${posting.account}`);
      p.key.push(draft.idempotencyKey);
      p.account.push(posting.account);
      p.kind.push(account.kind);
      p.distributorId.push("distributorId" in account ? account.distributorId : null);
      p.currency.push(posting.currency);
      p.amount.push(posting.amountMinor.toString());
    }
  }
  // occurredAt is ISO 8601 with an offset: through timestamptz, then to UTC, as the timestamp columns hold UTC.
  return Prisma.sql`
    inserted AS (
      INSERT INTO "LedgerTransaction" ("shopId", "idempotencyKey", "kind", "occurredAt", "orderId", "distributorId", "metadata")
      SELECT ${shopId}::uuid, v.key, v.kind::"LedgerTransactionKind", (v.occurred_at::timestamptz AT TIME ZONE 'UTC'), v.order_id::uuid,
        v.distributor_id::uuid, v.metadata::jsonb
      FROM unnest(${t.key}::text[], ${t.kind}::text[], ${t.occurredAt}::text[], ${t.orderId}::text[], ${t.distributorId}::text[],
        ${t.metadata}::text[]) AS v(key, kind, occurred_at, order_id, distributor_id, metadata)
      WHERE ${guard}
      ON CONFLICT ("shopId", "idempotencyKey") DO NOTHING
      RETURNING "id", "idempotencyKey", "kind"
    ),
    posted AS (
      INSERT INTO "LedgerPosting" ("shopId", "transactionId", "account", "accountKind", "distributorId", "currency", "amountMinor")
      SELECT ${shopId}::uuid, i."id", p.account, p.kind, p.distributor_id::uuid, p.currency, p.amount::bigint
      FROM unnest(${p.key}::text[], ${p.account}::text[], ${p.kind}::text[], ${p.distributorId}::text[], ${p.currency}::text[],
        ${p.amount}::text[]) AS p(key, account, kind, distributor_id, currency, amount)
      JOIN inserted i ON i."idempotencyKey" = p.key
      RETURNING 1
    )`;
}
