/**
 * Payout reconciliation, the payouts section of the reconciliation report: what the payout items say against
 * what the ledger's payout accounts hold, per currency, target delta 0 on both lines:
 *
 *   paid        the items paid                         = what settled out of clearing into payouts_cash (net of
 *                                                        returns taken back from cash)
 *   in flight   the approved items not final yet       = the payouts_clearing balance
 *
 * and each item's ledger steps against its status (approve / settle / reverse under their deterministic keys):
 * an item paid without its settlement, or open without its approval, is listed. Items carry no status history,
 * so the section is cumulative as of the moment it is computed (not of the report's day), read in one statement
 * so a worker moving items meanwhile cannot show a false delta.
 */
import type { DbOrTx } from "~/db/tx.server";
import { moneyJson } from "~/services/ledger/money-json.server";

export interface PayoutCurrencyReconciliation {
  readonly currency: string;
  readonly paidItems: number;
  readonly paidMinor: bigint;
  readonly settledMinor: bigint;
  readonly paidDeltaMinor: bigint;
  readonly inFlightItems: number;
  readonly inFlightMinor: bigint;
  readonly clearingMinor: bigint;
  readonly inFlightDeltaMinor: bigint;
}

export interface PayoutItemMismatch {
  readonly itemId: string;
  readonly runId: string;
  readonly status: string;
  readonly approved: boolean;
  readonly settled: boolean;
  readonly reversed: boolean;
}

export interface PayoutReconciliation {
  readonly asOf: Date;
  readonly balanced: boolean;
  readonly currencies: readonly PayoutCurrencyReconciliation[];
  /** At most MISMATCH_LIMIT items whose ledger steps disagree with their status; `mismatchedItems` counts all. */
  readonly mismatches: readonly PayoutItemMismatch[];
  readonly mismatchedItems: number;
}

const MISMATCH_LIMIT = 100;

interface Row {
  section: "currency" | "item";
  currency: string | null;
  paidItems: number | null;
  paidMinor: bigint | null;
  settledMinor: bigint | null;
  inFlightItems: number | null;
  inFlightMinor: bigint | null;
  clearingMinor: bigint | null;
  itemId: string | null;
  runId: string | null;
  status: string | null;
  approved: boolean | null;
  settled: boolean | null;
  reversed: boolean | null;
  mismatched: number | null;
}

export async function reconcilePayouts(client: DbOrTx, shopId: string): Promise<PayoutReconciliation> {
  const rows = await client.$queryRaw<Row[]>`
    WITH items AS (
      SELECT i."id", i."runId", i."status"::text AS status, i."currency", i."amountMinor", r."status"::text AS run_status,
        EXISTS (SELECT 1 FROM "LedgerTransaction" t WHERE t."shopId" = i."shopId" AND t."idempotencyKey" = 'payout:' || i."id" || ':approve') AS approved,
        EXISTS (SELECT 1 FROM "LedgerTransaction" t WHERE t."shopId" = i."shopId" AND t."idempotencyKey" = 'payout:' || i."id" || ':settle') AS settled,
        EXISTS (SELECT 1 FROM "LedgerTransaction" t WHERE t."shopId" = i."shopId" AND t."idempotencyKey" = 'payout:' || i."id" || ':reverse') AS reversed
      FROM "PayoutItem" i JOIN "PayoutRun" r ON r."shopId" = i."shopId" AND r."id" = i."runId"
      WHERE i."shopId" = ${shopId}::uuid
    ), expected AS (
      SELECT *, CASE
        WHEN run_status = 'draft' THEN NOT approved AND NOT settled AND NOT reversed
        WHEN status IN ('pending', 'submitted') THEN approved AND NOT settled AND NOT reversed
        WHEN status = 'paid' THEN approved AND settled AND NOT reversed
        WHEN status = 'failed' THEN approved AND NOT settled AND reversed
        WHEN status = 'returned' THEN approved AND reversed
        ELSE NOT settled AND approved = reversed
      END AS consistent
      FROM items
    ), ledger AS (
      SELECT "currency",
        -sum("amountMinor") FILTER (WHERE "accountKind" = 'payouts_cash') AS cash,
        -sum("amountMinor") FILTER (WHERE "accountKind" = 'payouts_clearing') AS clearing
      FROM "LedgerPosting" WHERE "shopId" = ${shopId}::uuid AND "accountKind" IN ('payouts_cash', 'payouts_clearing')
      GROUP BY "currency"
    ), by_currency AS (
      SELECT "currency",
        count(*) FILTER (WHERE status = 'paid')::int AS paid_items,
        COALESCE(sum("amountMinor") FILTER (WHERE status = 'paid'), 0) AS paid,
        count(*) FILTER (WHERE status IN ('pending', 'submitted') AND run_status <> 'draft')::int AS in_flight_items,
        COALESCE(sum("amountMinor") FILTER (WHERE status IN ('pending', 'submitted') AND run_status <> 'draft'), 0) AS in_flight
      FROM items GROUP BY "currency"
    )
    SELECT 'currency' AS section, COALESCE(c."currency", l."currency") AS currency,
      COALESCE(c.paid_items, 0) AS "paidItems", COALESCE(c.paid, 0)::bigint AS "paidMinor", COALESCE(l.cash, 0)::bigint AS "settledMinor",
      COALESCE(c.in_flight_items, 0) AS "inFlightItems", COALESCE(c.in_flight, 0)::bigint AS "inFlightMinor", COALESCE(l.clearing, 0)::bigint AS "clearingMinor",
      NULL::uuid AS "itemId", NULL::uuid AS "runId", NULL AS status, NULL::boolean AS approved, NULL::boolean AS settled, NULL::boolean AS reversed, NULL::int AS mismatched
    FROM by_currency c FULL JOIN ledger l ON l."currency" = c."currency"
    UNION ALL
    (SELECT 'item', NULL, NULL, NULL, NULL, NULL, NULL, NULL, "id", "runId", status, approved, settled, reversed, (count(*) OVER ())::int
     FROM expected WHERE NOT consistent ORDER BY "id" LIMIT ${MISMATCH_LIMIT})`;
  const currencies: PayoutCurrencyReconciliation[] = [];
  const mismatches: PayoutItemMismatch[] = [];
  let mismatchedItems = 0;
  for (const row of rows) {
    if (row.section === "item") {
      mismatchedItems = row.mismatched ?? 0;
      mismatches.push({ itemId: row.itemId!, runId: row.runId!, status: row.status!, approved: row.approved!, settled: row.settled!, reversed: row.reversed! });
      continue;
    }
    const paidMinor = row.paidMinor ?? 0n;
    const settledMinor = row.settledMinor ?? 0n;
    const inFlightMinor = row.inFlightMinor ?? 0n;
    const clearingMinor = row.clearingMinor ?? 0n;
    currencies.push({
      currency: row.currency!,
      paidItems: row.paidItems ?? 0,
      paidMinor,
      settledMinor,
      paidDeltaMinor: settledMinor - paidMinor,
      inFlightItems: row.inFlightItems ?? 0,
      inFlightMinor,
      clearingMinor,
      inFlightDeltaMinor: clearingMinor - inFlightMinor,
    });
  }
  currencies.sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
  const balanced = mismatchedItems === 0 && currencies.every((c) => c.paidDeltaMinor === 0n && c.inFlightDeltaMinor === 0n);
  return { asOf: new Date(), balanced, currencies, mismatches, mismatchedItems };
}

export function payoutReconciliationJson(report: PayoutReconciliation) {
  return {
    as_of: report.asOf.toISOString(),
    balanced: report.balanced,
    currencies: report.currencies.map((c) => ({
      currency: c.currency,
      paid_items: c.paidItems,
      paid: moneyJson(c.paidMinor, c.currency),
      settled: moneyJson(c.settledMinor, c.currency),
      paid_delta: moneyJson(c.paidDeltaMinor, c.currency),
      in_flight_items: c.inFlightItems,
      in_flight: moneyJson(c.inFlightMinor, c.currency),
      clearing: moneyJson(c.clearingMinor, c.currency),
      in_flight_delta: moneyJson(c.inFlightDeltaMinor, c.currency),
    })),
    mismatched_items: report.mismatchedItems,
    mismatches: report.mismatches.map((m) => ({
      item_id: m.itemId,
      run_id: m.runId,
      status: m.status,
      approved: m.approved,
      settled: m.settled,
      reversed: m.reversed,
    })),
  };
}
