/**
 * Issue 10: the database itself keeps the ledger's and the tenancy's promises. The legitimate rows come through the
 * product's paths (enrollment, signed order and refund webhooks through the ingest route and the worker, a status
 * change, the period close); then plain SQL, as a buggy or hostile writer would send it, tries to break each
 * promise, and the database refuses with the error that names it.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { closeDuePeriods } from "~/services/periods/close-due.server";
import { changeDistributorStatus } from "~/services/genealogy/status.server";
import { LINE_A, orderBody, orderRow } from "../commissions/support";
import { datedRefundBody, firstPeriodJobDone, seedPeriodShop, type PeriodShop } from "../periods/support";
import { runAppAndWorkers } from "../support/app-and-workers";
import { shopifyDelivery, TEST_SHOP, waitUntil } from "../support/deliveries";

const app = runAppAndWorkers();
let shop: PeriodShop;
let other: PeriodShop;
let sql: pg.Client;
/** One of shop's commission orders, its commission, a commission ledger transaction, a reversal. */
let orderId: string;
let commissionId: string;
let transactionId: string;
let reversalId: string;
let closed: Awaited<ReturnType<typeof closeDuePeriods>>;

const MARCH_ORDERS: readonly [string, string, string][] = [
  ["9101", "CHARLIE", "2026-03-05T10:00:00Z"],
  ["9102", "DELTA", "2026-03-10T10:00:00Z"],
  ["9103", "DELTA", "2026-03-15T10:00:00Z"],
  ["9104", "BRAVO", "2026-03-20T10:00:00Z"],
];

const deliver = async (body: string, topic: string) =>
  expect((await fetch(`${app.server.url}/ingest/shopify`, shopifyDelivery(body, { topic, webhookId: randomUUID() }))).status).toBe(200);

beforeAll(async () => {
  await firstPeriodJobDone();
  shop = await seedPeriodShop(TEST_SHOP);
  other = await seedPeriodShop("db-promises-other.myshopify.com");
  for (const [platformOrderId, ref, createdAt] of MARCH_ORDERS) await deliver(orderBody(platformOrderId, { ref, createdAt }), "orders/paid");
  for (const [platformOrderId] of MARCH_ORDERS) {
    const order = await waitUntil(() => orderRow(shop.shopId, platformOrderId), 30_000, `order ${platformOrderId}`);
    await waitUntil(() => db().commission.findFirst({ where: { shopId: shop.shopId, orderId: order.id } }), 30_000, `commission of ${platformOrderId}`);
  }
  const order = (await orderRow(shop.shopId, "9101"))!;
  orderId = order.id;
  commissionId = (await db().commission.findFirstOrThrow({ where: { shopId: shop.shopId, orderId } })).id;
  transactionId = (await db().ledgerTransaction.findFirstOrThrow({ where: { shopId: shop.shopId, orderId, kind: "commission" } })).id;
  await deliver(datedRefundBody("9101", "77001", [LINE_A], "2026-03-06T10:00:00Z"), "refunds/create");
  reversalId = (await waitUntil(() => db().commissionReversal.findFirst({ where: { shopId: shop.shopId, commissionId } }), 30_000, "the reversal")).id;
  closed = await closeDuePeriods(db(), { now: new Date("2026-04-01T00:00:00Z"), shopId: shop.shopId });
  await changeDistributorStatus(db(), shop.shopId, shop.ids.DELTA, { status: "inactive", effectiveFrom: new Date("2026-04-10T00:00:00Z"), actor: "test" });

  sql = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
});

/** Runs the statements in one database transaction, as a hand-written writer would; rolls back if one fails. */
async function inTransaction(...statements: readonly [string, unknown[]?][]): Promise<void> {
  await sql.query("BEGIN");
  try {
    for (const [text, values] of statements) await sql.query(text, values);
    await sql.query("COMMIT");
  } catch (error) {
    await sql.query("ROLLBACK");
    throw error;
  }
}

const INSERT_TRANSACTION = `
  INSERT INTO "LedgerTransaction" ("id", "shopId", "idempotencyKey", "kind", "occurredAt", "orderId", "distributorId", "metadata")
  VALUES ($1, $2, $3, 'commission', '2026-03-05T10:00:00Z', $4, $5, '{}')`;
const INSERT_POSTING = `
  INSERT INTO "LedgerPosting" ("shopId", "transactionId", "account", "accountKind", "distributorId", "currency", "amountMinor")
  VALUES ($1, $2, $3, $4, $5, $6, $7)`;

function expense(shopId: string, txId: string, amount: bigint, currency = "USD"): [string, unknown[]] {
  return [INSERT_POSTING, [shopId, txId, `commission_expense:${shopId}:${currency}`, "commission_expense", null, currency, amount.toString()]];
}
function wallet(shopId: string, txId: string, distributorId: string, amount: bigint, currency = "USD"): [string, unknown[]] {
  return [
    INSERT_POSTING,
    [shopId, txId, `wallet_pending:${shopId}:${currency}:${distributorId}`, "wallet_pending", distributorId, currency, amount.toString()],
  ];
}
function transaction(shopId: string, txId: string, distributorId: string | null, order: string | null = null): [string, unknown[]] {
  return [INSERT_TRANSACTION, [txId, shopId, `manual:${txId}`, order, distributorId]];
}

describe("the product's own writes pass every guard", () => {
  it("orders posted their commissions and reversal, and the period close posted its bonuses, every transaction balanced", async () => {
    expect(closed).toMatchObject({ closed: 3, refused: [] });
    const kinds = await db().ledgerTransaction.groupBy({ by: ["kind"], where: { shopId: shop.shopId }, _count: true });
    const count = Object.fromEntries(kinds.map((row) => [row.kind, row._count]));
    expect(count.commission).toBeGreaterThanOrEqual(4);
    expect(count.commission_reversal).toBeGreaterThan(0);
    expect(count.period_commission).toBeGreaterThan(0);
    expect(await db().periodCommission.count({ where: { shopId: shop.shopId } })).toBe(count.period_commission);
    const { rows } = await sql.query<{ unbalanced: number }>(`
      SELECT count(*)::int AS unbalanced FROM (
        SELECT t."id" FROM "LedgerTransaction" t LEFT JOIN "LedgerPosting" p ON p."transactionId" = t."id"
        GROUP BY t."id", p."currency" HAVING coalesce(sum(p."amountMinor"), 1) <> 0) AS x`);
    expect(rows[0]!.unbalanced).toBe(0);
  });

  it("a balanced transaction written by hand is accepted (the guards refuse what is wrong, not what is hand-written)", async () => {
    const id = randomUUID();
    await inTransaction(transaction(shop.shopId, id, shop.ids.ALPHA, orderId), wallet(shop.shopId, id, shop.ids.ALPHA, -100n), expense(shop.shopId, id, 100n));
    expect(await db().ledgerPosting.count({ where: { transactionId: id } })).toBe(2);
  });
});

describe("double entry, checked at commit", () => {
  it("refuses a transaction whose postings do not sum to zero", async () => {
    const id = randomUUID();
    await expect(
      inTransaction(transaction(shop.shopId, id, shop.ids.ALPHA), expense(shop.shopId, id, 100n), wallet(shop.shopId, id, shop.ids.ALPHA, -99n)),
    ).rejects.toMatchObject({
      code: "23514",
      constraint: "LedgerTransaction_balanced",
      message: expect.stringMatching(/does not balance: postings sum to USD 1/),
    });
    expect(await db().ledgerTransaction.count({ where: { id } })).toBe(0);
  });

  it("refuses postings that balance in sum but not per currency", async () => {
    const id = randomUUID();
    await expect(
      inTransaction(transaction(shop.shopId, id, shop.ids.ALPHA), expense(shop.shopId, id, 100n, "USD"), wallet(shop.shopId, id, shop.ids.ALPHA, -100n, "EUR")),
    ).rejects.toMatchObject({ code: "23514", message: expect.stringMatching(/EUR -100, USD 100/) });
  });

  it("refuses a transaction without postings", async () => {
    const id = randomUUID();
    await expect(inTransaction(transaction(shop.shopId, id, shop.ids.ALPHA))).rejects.toMatchObject({
      code: "23514",
      message: expect.stringMatching(/has no postings/),
    });
  });

  it("refuses a posting added later, in its own statement, to a balanced transaction the worker wrote", async () => {
    const before = await db().ledgerPosting.count({ where: { transactionId } });
    await expect(sql.query(...expense(shop.shopId, transactionId, 5n))).rejects.toMatchObject({
      code: "23514",
      message: expect.stringMatching(/does not balance/),
    });
    await expect(inTransaction(expense(shop.shopId, transactionId, 5n))).rejects.toMatchObject({ code: "23514" });
    expect(await db().ledgerPosting.count({ where: { transactionId } })).toBe(before);
  });

  it("refuses zero postings and currency codes that are not ISO 4217", async () => {
    const id = randomUUID();
    await expect(inTransaction(transaction(shop.shopId, id, null), expense(shop.shopId, id, 0n))).rejects.toMatchObject({
      code: "23514",
      constraint: "LedgerPosting_amount_check",
    });
    await expect(
      inTransaction(transaction(shop.shopId, id, null), expense(shop.shopId, id, 1n, "usd"), expense(shop.shopId, id, -1n, "usd")),
    ).rejects.toMatchObject({
      code: "23514",
      constraint: "LedgerPosting_currency_check",
    });
  });
});

describe("no row points into another shop", () => {
  it("refuses a ledger posting of another shop on this shop's transaction", async () => {
    await expect(inTransaction(expense(other.shopId, transactionId, 1n), expense(other.shopId, transactionId, -1n))).rejects.toMatchObject({
      code: "23503",
      constraint: "LedgerPosting_shopId_transactionId_fkey",
    });
  });

  it("refuses a posting or a transaction naming another shop's distributor or order", async () => {
    const id = randomUUID();
    await expect(
      inTransaction(transaction(shop.shopId, id, other.ids.ALPHA), expense(shop.shopId, id, 1n), expense(shop.shopId, id, -1n)),
    ).rejects.toMatchObject({
      code: "23503",
      constraint: "LedgerTransaction_shopId_distributorId_fkey",
    });
    await expect(
      inTransaction(transaction(other.shopId, id, other.ids.ALPHA, orderId), expense(other.shopId, id, 1n), expense(other.shopId, id, -1n)),
    ).rejects.toMatchObject({
      code: "23503",
      constraint: "LedgerTransaction_shopId_orderId_fkey",
    });
    await expect(
      inTransaction(transaction(shop.shopId, id, shop.ids.ALPHA), expense(shop.shopId, id, 1n), wallet(shop.shopId, id, other.ids.ALPHA, -1n)),
    ).rejects.toMatchObject({
      code: "23503",
      constraint: "LedgerPosting_shopId_distributorId_fkey",
    });
  });

  it("refuses an order line of another shop on this shop's order", async () => {
    await expect(
      sql.query(
        `INSERT INTO "OrderLine" ("shopId", "orderId", "position", "platformLineId", "title", "quantity", "unitPriceMinor", "discountMinor", "taxMinor", "netMinor")
         VALUES ($1, $2, 9, 'intruder', 'Intruder', 1, 100, 0, 0, 100)`,
        [other.shopId, orderId],
      ),
    ).rejects.toMatchObject({ code: "23503", constraint: "OrderLine_shopId_orderId_fkey" });
  });

  it("refuses a commission of another shop on this shop's order, and a reversal of another shop on this shop's commission", async () => {
    await expect(
      sql.query(
        `INSERT INTO "Commission" ("shopId", "orderId", "outcome", "currency", "orderedAt", "paidMinor", "breakageMinor", "flagTypes", "flags", "heldUntil")
         VALUES ($1, $2, 'no_plan', 'USD', now(), 0, 0, '{}', '[]', now())`,
        [other.shopId, orderId],
      ),
    ).rejects.toMatchObject({ code: "23503", constraint: "Commission_shopId_orderId_fkey" });
    await expect(
      sql.query(
        `INSERT INTO "CommissionReversal" ("shopId", "commissionId", "orderId", "sourceKey", "sequence", "status", "progress", "reversedMinor", "occurredAt")
         VALUES ($1, $2, $3, 'intruder', 99, 'rejected', '{}', 0, now())`,
        [other.shopId, commissionId, orderId],
      ),
    ).rejects.toMatchObject({ code: "23503", constraint: expect.stringMatching(/^CommissionReversal_shopId_(commissionId|orderId)_fkey$/) });
  });
});

describe("append-only beyond the ledger", () => {
  it("refuses UPDATE and DELETE of an audit row", async () => {
    const audit = await db().auditLog.findFirstOrThrow({ where: { shopId: shop.shopId, action: "distributor.status_changed" } });
    await expect(sql.query(`UPDATE "AuditLog" SET "reason" = 'rewritten' WHERE "id" = $1`, [audit.id])).rejects.toMatchObject({
      code: "23001",
      message: expect.stringMatching(/"AuditLog" is append-only .*UPDATE refused/),
    });
    await expect(sql.query(`DELETE FROM "AuditLog" WHERE "id" = $1`, [audit.id])).rejects.toMatchObject({
      code: "23001",
      message: expect.stringMatching(/DELETE refused/),
    });
    expect(await db().auditLog.findUnique({ where: { id: audit.id } })).toEqual(audit);
  });

  it("refuses UPDATE and DELETE of a commission reversal", async () => {
    await expect(sql.query(`UPDATE "CommissionReversal" SET "reversedMinor" = 0 WHERE "id" = $1`, [reversalId])).rejects.toMatchObject({
      code: "23001",
      message: expect.stringMatching(/"CommissionReversal" is append-only/),
    });
    await expect(sql.query(`DELETE FROM "CommissionReversal" WHERE "id" = $1`, [reversalId])).rejects.toMatchObject({ code: "23001" });
    expect(await db().commissionReversal.count({ where: { id: reversalId } })).toBe(1);
  });

  it.each(["LedgerTransaction", "LedgerPosting", "PeriodCommission", "PeriodCloseRun", "AuditLog", "CommissionReversal"])(
    "refuses TRUNCATE of %s",
    async (table) => {
      await expect(sql.query(`TRUNCATE "${table}" CASCADE`)).rejects.toMatchObject({ code: "23001", message: expect.stringMatching(/TRUNCATE refused/) });
    },
  );

  it("refuses TRUNCATE of every shop at once (the cascade reaches the ledger)", async () => {
    await expect(sql.query(`TRUNCATE "Shop" CASCADE`)).rejects.toMatchObject({ code: "23001" });
    expect(await db().ledgerTransaction.count({ where: { shopId: shop.shopId } })).toBeGreaterThan(0);
  });
});

describe("no two intervals of one distributor overlap", () => {
  const OVERLAP = ["2026-02-01T00:00:00Z", "2026-02-15T00:00:00Z"];

  it("refuses a closed sponsor edge inside the one in force (the one-current index alone let it in)", async () => {
    await expect(
      sql.query(`INSERT INTO "SponsorEdge" ("shopId", "distributorId", "validFrom", "validTo", "sponsorId") VALUES ($1, $2, $3, $4, $5)`, [
        shop.shopId,
        shop.ids.CHARLIE,
        ...OVERLAP,
        shop.ids.ROOT,
      ]),
    ).rejects.toMatchObject({ code: "23P01", constraint: "SponsorEdge_no_overlap" });
  });

  it("refuses an overlapping placement edge", async () => {
    await expect(
      sql.query(`INSERT INTO "PlacementEdge" ("shopId", "distributorId", "validFrom", "validTo", "parentId", "position") VALUES ($1, $2, $3, $4, $5, 0)`, [
        shop.shopId,
        shop.ids.CHARLIE,
        ...OVERLAP,
        shop.ids.BRAVO,
      ]),
    ).rejects.toMatchObject({ code: "23P01", constraint: "PlacementEdge_no_overlap" });
  });

  it("refuses an overlapping status period", async () => {
    await expect(
      sql.query(`INSERT INTO "DistributorStatusPeriod" ("shopId", "distributorId", "validFrom", "validTo", "status") VALUES ($1, $2, $3, $4, 'terminated')`, [
        shop.shopId,
        shop.ids.DELTA,
        "2026-05-01T00:00:00Z",
        "2026-05-15T00:00:00Z",
      ]),
    ).rejects.toMatchObject({ code: "23P01", constraint: "DistributorStatusPeriod_no_overlap" });
  });

  it("refuses a second rank for a period the close already ranked (a rank period runs from its start to the next)", async () => {
    const rank = await db().distributorRankPeriod.findFirstOrThrow({ where: { shopId: shop.shopId } });
    await expect(
      sql.query(
        `INSERT INTO "DistributorRankPeriod" ("shopId", "distributorId", "periodStart", "achievedRank", "paidAsRank") VALUES ($1, $2, $3, 'gold', 'gold')`,
        [shop.shopId, rank.distributorId, rank.periodStart.toISOString().slice(0, 10)],
      ),
    ).rejects.toMatchObject({ code: "23505", constraint: "DistributorRankPeriod_pkey" });
  });

  it("still accepts the product's moves and status changes, which close one interval where the next opens", async () => {
    await changeDistributorStatus(db(), shop.shopId, shop.ids.DELTA, { status: "active", effectiveFrom: new Date("2026-05-01T00:00:00Z"), actor: "test" });
    const periods = await db().distributorStatusPeriod.findMany({
      where: { shopId: shop.shopId, distributorId: shop.ids.DELTA },
      orderBy: { validFrom: "asc" },
    });
    expect(periods.map((period) => [period.status, period.validFrom.toISOString(), period.validTo?.toISOString() ?? null])).toEqual([
      ["inactive", "2026-04-10T00:00:00.000Z", "2026-05-01T00:00:00.000Z"],
      ["active", "2026-05-01T00:00:00.000Z", null],
    ]);
  });
});
