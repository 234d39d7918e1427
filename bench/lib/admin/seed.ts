/**
 * The admin benchmark's data beyond the genealogy tree (seeded by ../genealogy/seed.ts into `seed_node`):
 * orders, a double-entry ledger of balanced transactions, webhook events and stored reconciliation days,
 * each one set-based `INSERT … SELECT generate_series`.
 *
 * The ledger is loaded as the genealogy tables are (keys dropped, re-created after): the deferred balance
 * trigger (migration 20261205100000) would run one sum per posting row, so the load runs with
 * session_replication_role = replica, and the rule that trigger enforces (every transaction has postings,
 * which sum to zero per currency) is then checked over the whole load in one query; a violation fails the run.
 * The restored foreign keys validate every posting's transaction, distributor and order.
 */
import type pg from "pg";
import { dropKeys } from "../genealogy/keys";
import { timed } from "../genealogy/measure";

export const LEDGER_TABLES = ["LedgerTransaction", "LedgerPosting"] as const;
export const OTHER_TABLES = ["Order", "WebhookEvent", "ReconciliationReport"] as const;

export interface AdminShape {
  distributors: number;
  orders: number;
  /** Postings; two per transaction. */
  postings: number;
  events: number;
  reconciliationDays: number;
}

/** Kinds by n % 100, with their debit and credit accounts (app/domain/ledger/accounts.ts). */
const KIND = (n: string) => `CASE
  WHEN ${n} % 100 < 80 THEN 'commission' WHEN ${n} % 100 < 90 THEN 'hold_release' WHEN ${n} % 100 < 95 THEN 'commission_reversal'
  WHEN ${n} % 100 < 98 THEN 'payout' WHEN ${n} % 100 < 99 THEN 'payout_settlement' ELSE 'period_commission' END`;

export function seedStatements(shape: AdminShape, shopId: string, now: string): { table: string; sql: string }[] {
  const shop = `'${shopId}'::uuid`;
  const transactions = shape.postings / 2;
  const span = `interval '730 days'`;
  return [
    {
      table: "Order",
      sql: `INSERT INTO "Order" (id, "shopId", platform, "platformOrderId", "orderNumber", "orderedAt", "platformUpdatedAt", status, currency,
              "discountCodes", "subtotalMinor", "discountMinor", "shippingMinor", "taxMinor", "totalMinor", normalized, "updatedAt")
            SELECT gen_random_uuid(), ${shop}, 'shopify', 'gid-' || n, (1000 + n)::text,
              '${now}'::timestamptz - ${span} * (1 - n::float8 / ${shape.orders}), '${now}'::timestamptz - ${span} * (1 - n::float8 / ${shape.orders}),
              'paid', 'USD', '{}', 5000 + n % 9000, 0, 0, 0, 5000 + n % 9000, '{}'::jsonb, now()
            FROM generate_series(1, ${shape.orders}) AS n`,
    },
    {
      table: "bench_order (not counted as a table)",
      sql: `CREATE UNLOGGED TABLE bench_order AS SELECT row_number() OVER (ORDER BY "orderedAt") AS n, id, "orderedAt" FROM "Order" WHERE "shopId" = ${shop};
            CREATE UNIQUE INDEX ON bench_order (n)`,
    },
    {
      table: "bench_tx (not counted as a table)",
      // Beneficiaries skewed towards early (upper) distributors: random()^3, as real commissions concentrate.
      sql: `CREATE UNLOGGED TABLE bench_tx AS
            SELECT n, gen_random_uuid() AS id, ${KIND("n")} AS kind,
              CASE WHEN n % 100 < 95 THEN 1 + (n / 5) % ${shape.orders} END AS order_n,
              2 + floor(random() ^ 3 * ${shape.distributors - 1})::bigint AS distributor_n,
              100 + (n * 7919) % 20000 AS amount
            FROM generate_series(1::bigint, ${transactions}) AS n`,
    },
    {
      table: "LedgerTransaction",
      sql: `INSERT INTO "LedgerTransaction" (id, "shopId", "idempotencyKey", kind, "occurredAt", "orderId", "distributorId", metadata, "createdAt")
            SELECT t.id, ${shop}, 'bench:' || t.n, t.kind::"LedgerTransactionKind",
              coalesce(o."orderedAt", '${now}'::timestamptz - ${span} * (1 - t.n::float8 / ${transactions})), o.id, d.id, '{}'::jsonb,
              coalesce(o."orderedAt", '${now}'::timestamptz - ${span} * (1 - t.n::float8 / ${transactions}))
            FROM bench_tx t JOIN seed_node d ON d.n = t.distributor_n LEFT JOIN bench_order o ON o.n = t.order_n`,
    },
    {
      table: "LedgerPosting",
      sql: `INSERT INTO "LedgerPosting" ("shopId", "transactionId", account, "accountKind", "distributorId", currency, "amountMinor", "createdAt")
            SELECT ${shop}, t.id, leg.kind || ':${shopId}:USD' || CASE WHEN leg.kind LIKE 'wallet%' THEN ':' || d.id ELSE '' END, leg.kind,
              CASE WHEN leg.kind LIKE 'wallet%' THEN d.id END, 'USD', leg.sign * t.amount, tx."createdAt"
            FROM bench_tx t JOIN seed_node d ON d.n = t.distributor_n JOIN "LedgerTransaction" tx ON tx.id = t.id
            CROSS JOIN LATERAL (VALUES
              (CASE t.kind WHEN 'commission' THEN 'commission_expense' WHEN 'period_commission' THEN 'commission_expense'
                 WHEN 'hold_release' THEN 'wallet_pending' WHEN 'commission_reversal' THEN 'wallet_pending'
                 WHEN 'payout' THEN 'wallet_available' ELSE 'payouts_clearing' END, 1),
              (CASE t.kind WHEN 'commission' THEN 'wallet_pending' WHEN 'period_commission' THEN 'wallet_pending'
                 WHEN 'hold_release' THEN 'wallet_available' WHEN 'commission_reversal' THEN 'commission_expense'
                 WHEN 'payout' THEN 'payouts_clearing' ELSE 'payouts_cash' END, -1)
            ) AS leg(kind, sign)
            ORDER BY tx."occurredAt", t.n, leg.sign DESC`,
    },
    {
      table: "WebhookEvent",
      sql: `INSERT INTO "WebhookEvent" ("shopId", platform, "eventKey", topic, status, "rawBody", "receivedAt", attempts, "lastError", "processedAt", "updatedAt")
            SELECT ${shop}, 'shopify', 'bench-' || n, CASE WHEN n % 10 = 0 THEN 'refunds/create' ELSE 'orders/paid' END,
              (CASE WHEN n % 100 < 2 THEN 'dead' WHEN n % 100 < 3 THEN 'failed' WHEN n % 100 < 4 THEN 'rejected' ELSE 'processed' END)::"WebhookEventStatus",
              '{"id":' || n || '}', '${now}'::timestamptz - ${span} * (1 - n::float8 / ${shape.events}),
              CASE WHEN n % 100 < 3 THEN 5 ELSE 1 END, CASE WHEN n % 100 < 4 THEN 'bench failure' END,
              CASE WHEN n % 100 >= 4 THEN '${now}'::timestamptz - ${span} * (1 - n::float8 / ${shape.events}) END, now()
            FROM generate_series(1, ${shape.events}) AS n`,
    },
    {
      table: "ReconciliationReport",
      sql: `INSERT INTO "ReconciliationReport" ("shopId", day, balanced, report)
            SELECT ${shop}, day, k % 50 <> 0,
              jsonb_build_object('date', to_char(day, 'YYYY-MM-DD'), 'balanced', k % 50 <> 0, 'orders_compared', 680,
                'totals', jsonb_build_array(jsonb_build_object('currency', 'USD',
                  'expected', jsonb_build_object('amount_minor', '1234500', 'amount', '12345.00', 'currency', 'USD'),
                  'ledger', jsonb_build_object('amount_minor', CASE WHEN k % 50 = 0 THEN '1234400' ELSE '1234500' END, 'amount', '12345.00', 'currency', 'USD'),
                  'delta', jsonb_build_object('amount_minor', CASE WHEN k % 50 = 0 THEN '-100' ELSE '0' END, 'amount', CASE WHEN k % 50 = 0 THEN '-1.00' ELSE '0.00' END, 'currency', 'USD'))),
                'items', '[]'::jsonb, 'replay_mismatches', '[]'::jsonb, 'unevaluated_order_ids', '[]'::jsonb, 'unapplied_refund_ids', '[]'::jsonb,
                'refund_gaps', '[]'::jsonb, 'dropped_money', '[]'::jsonb)
            FROM (SELECT k, (date_trunc('day', '${now}'::timestamptz AT TIME ZONE 'UTC') - k * interval '1 day')::date AS day
                  FROM generate_series(1, ${shape.reconciliationDays}) AS k) AS days`,
    },
  ];
}

/** The balance trigger's rule over the whole load: transactions without postings, and (transaction, currency) not summing to 0. */
export const UNBALANCED_SQL = `
  SELECT (SELECT count(*) FROM "LedgerTransaction" t WHERE NOT EXISTS (SELECT 1 FROM "LedgerPosting" p WHERE p."transactionId" = t.id))
       + (SELECT count(*) FROM (SELECT 1 FROM "LedgerPosting" GROUP BY "transactionId", currency HAVING sum("amountMinor") <> 0) u) AS violations`;

export async function seedAdmin(client: pg.Client, shape: AdminShape, shopId: string, now: string, log: (line: string) => void) {
  const steps: Record<string, number> = {};
  const tables = [...LEDGER_TABLES, ...OTHER_TABLES];
  const keys = await timed(steps, "drop keys and indexes", () => dropKeys(client, tables), log);
  await client.query("SET session_replication_role = replica");
  for (const { table, sql } of seedStatements(shape, shopId, now)) await timed(steps, `load ${table}`, () => client.query(sql), log);
  await client.query("SET session_replication_role = DEFAULT");
  await timed(steps, "restore keys, indexes, foreign keys", () => keys.restore(client, log), log);
  const violations = await timed(steps, "check double entry", async () => Number((await client.query(UNBALANCED_SQL)).rows[0].violations), log);
  if (violations !== 0) throw new Error(`the seeded ledger breaks double entry in ${violations} places`);
  await timed(
    steps,
    "vacuum analyze",
    async () => {
      for (const table of tables) await client.query(`VACUUM ANALYZE "${table}"`);
    },
    log,
  );
  await client.query("DROP TABLE bench_tx");
  return steps;
}
