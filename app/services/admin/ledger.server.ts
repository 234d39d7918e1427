/**
 * The admin's Ledger page: postings filtered by distributor, order, transaction kind and day, newest first,
 * keyset-paginated on (occurredAt, posting id) so page 1,000 costs what page 1 does, with totals per account
 * kind. The same filter drives the streaming CSV export (ledgerCsvChunks).
 *
 * Totals are summed over at most TOTALS_CAP postings: above that the page asks for a narrower filter rather
 * than scan millions of rows on every page view (the admin benchmark holds every list loader under 300 ms).
 */
import { Prisma } from "~/generated/prisma/client";
import { z } from "zod";
import type { DbOrTx } from "~/db/tx.server";
import { formatMinor, type CurrencyCode } from "~/domain/money";
import { findDistributorByIdOrCode, isUuid } from "~/services/genealogy/lookup.server";

export const LEDGER_KINDS = [
  "commission",
  "commission_reversal",
  "hold_release",
  "period_commission",
  "period_correction",
  "payout",
  "payout_settlement",
  "payout_reversal",
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const LEDGER_PAGE_SIZE = 50;
export const TOTALS_CAP = 20_000;

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a date, YYYY-MM-DD" })
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), {
    error: "must be a real date",
  });
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" || value === null ? undefined : value), schema.optional());

const filterSchema = z
  .object({
    distributor: optional(z.string().trim().max(64)),
    order: optional(z.string().trim().max(64)),
    kind: optional(z.enum(LEDGER_KINDS, { error: "is not a ledger kind" })),
    from: optional(day),
    to: optional(day),
    after: optional(z.string().regex(/^\d+:\d+$/)),
  })
  .refine((filter) => !filter.from || !filter.to || filter.from <= filter.to, { error: "must be on or after the start date", path: ["to"] });

export interface LedgerFilterInput {
  distributor?: string;
  order?: string;
  kind?: LedgerKind;
  from?: string;
  to?: string;
}

export interface LedgerRow {
  postingId: string;
  transactionId: string;
  kind: LedgerKind;
  occurredAt: string;
  account: string;
  accountKind: string;
  currency: string;
  amountMinor: string;
  amount: string;
  distributorId: string | null;
  distributorCode: string | null;
  orderId: string | null;
  orderNumber: string | null;
}

export interface LedgerTotal {
  accountKind: string;
  currency: string;
  amountMinor: string;
  amount: string;
  postings: number;
}

export type LedgerPage =
  | {
      ok: true;
      filter: LedgerFilterInput;
      rows: LedgerRow[];
      next: string | null;
      /** Null when more than TOTALS_CAP postings match. */
      totals: LedgerTotal[] | null;
      /** A distributor or order named in the filter that the shop does not have: nothing matches. */
      unknown: "distributor" | "order" | null;
    }
  | { ok: false; filter: Record<string, string>; errors: Record<string, string> };

/** What the filter resolved to in SQL terms: ids, not codes and numbers. */
interface ResolvedFilter {
  distributorId: string | null;
  orderId: string | null;
  kind: LedgerKind | null;
  from: Date | null;
  /** Exclusive: the day after `to`. */
  until: Date | null;
}

const raw = (params: URLSearchParams) => Object.fromEntries(["distributor", "order", "kind", "from", "to", "after"].map((k) => [k, params.get(k) ?? ""]));

async function findOrderId(client: DbOrTx, shopId: string, text: string): Promise<string | null> {
  if (isUuid(text)) {
    const byId = await client.order.findFirst({ where: { shopId, id: text }, select: { id: true } });
    if (byId) return byId.id;
  }
  // Shopify shows "#1001"; the platforms store the number with or without the sign.
  const bare = text.replace(/^#/, "");
  const byNumber = await client.order.findFirst({
    where: { shopId, orderNumber: { in: [bare, `#${bare}`] } },
    orderBy: { orderedAt: "desc" },
    select: { id: true },
  });
  return byNumber?.id ?? null;
}

/** Parses and resolves the page's query string. */
export async function resolveLedgerFilter(
  client: DbOrTx,
  shopId: string,
  params: URLSearchParams,
): Promise<
  | { ok: true; filter: LedgerFilterInput; resolved: ResolvedFilter; after: { at: Date; id: bigint } | null; unknown: "distributor" | "order" | null }
  | { ok: false; filter: Record<string, string>; errors: Record<string, string> }
> {
  const parsed = filterSchema.safeParse(raw(params));
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return { ok: false, filter: raw(params), errors };
  }
  const { after, ...filter } = parsed.data;
  let unknown: "distributor" | "order" | null = null;
  let distributorId: string | null = null;
  let orderId: string | null = null;
  if (filter.distributor) {
    distributorId = (await findDistributorByIdOrCode(client, shopId, filter.distributor))?.id ?? null;
    if (!distributorId) unknown = "distributor";
  }
  if (filter.order && !unknown) {
    orderId = await findOrderId(client, shopId, filter.order);
    if (!orderId) unknown = "order";
  }
  const [afterMs, afterId] = after ? after.split(":") : [];
  return {
    ok: true,
    filter,
    unknown,
    resolved: {
      distributorId,
      orderId,
      kind: filter.kind ?? null,
      from: filter.from ? new Date(`${filter.from}T00:00:00Z`) : null,
      until: filter.to ? new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000) : null,
    },
    after: afterMs && afterId ? { at: new Date(Number(afterMs)), id: BigInt(afterId) } : null,
  };
}

function where(shopId: string, f: ResolvedFilter): Prisma.Sql {
  const parts = [Prisma.sql`p."shopId" = ${shopId}::uuid`, Prisma.sql`t."shopId" = ${shopId}::uuid`];
  if (f.distributorId) parts.push(Prisma.sql`p."distributorId" = ${f.distributorId}::uuid`);
  if (f.orderId) parts.push(Prisma.sql`t."orderId" = ${f.orderId}::uuid`);
  if (f.kind) parts.push(Prisma.sql`t."kind" = ${f.kind}::"LedgerTransactionKind"`);
  if (f.from) parts.push(Prisma.sql`t."occurredAt" >= ${f.from}`);
  if (f.until) parts.push(Prisma.sql`t."occurredAt" < ${f.until}`);
  return Prisma.join(parts, " AND ");
}

interface RawRow {
  postingId: bigint;
  transactionId: string;
  kind: LedgerKind;
  occurredAt: Date;
  account: string;
  accountKind: string;
  currency: string;
  amountMinor: bigint;
  distributorId: string | null;
  distributorCode: string | null;
  orderId: string | null;
  orderNumber: string | null;
}

async function pageRows(client: DbOrTx, shopId: string, f: ResolvedFilter, after: { at: Date; id: bigint } | null, limit: number): Promise<RawRow[]> {
  const keyset = after ? Prisma.sql`AND (t."occurredAt", p."id") < (${after.at}, ${after.id}::bigint)` : Prisma.empty;
  return client.$queryRaw<RawRow[]>`
    SELECT p."id" AS "postingId", t."id" AS "transactionId", t."kind"::text AS kind, t."occurredAt", p."account", p."accountKind",
      p."currency", p."amountMinor", p."distributorId", d."code" AS "distributorCode", t."orderId", o."orderNumber"
    FROM "LedgerPosting" p
    JOIN "LedgerTransaction" t ON t."id" = p."transactionId"
    LEFT JOIN "Distributor" d ON d."id" = p."distributorId"
    LEFT JOIN "Order" o ON o."id" = t."orderId"
    WHERE ${where(shopId, f)} ${keyset}
    ORDER BY t."occurredAt" DESC, p."id" DESC
    LIMIT ${limit}`;
}

const cursorOf = (row: RawRow) => `${row.occurredAt.getTime()}:${row.postingId}`;

const rowJson = (row: RawRow): LedgerRow => ({
  postingId: row.postingId.toString(),
  transactionId: row.transactionId,
  kind: row.kind,
  occurredAt: row.occurredAt.toISOString(),
  account: row.account,
  accountKind: row.accountKind,
  currency: row.currency,
  amountMinor: row.amountMinor.toString(),
  amount: formatMinor(row.amountMinor, row.currency as CurrencyCode),
  distributorId: row.distributorId,
  distributorCode: row.distributorCode,
  orderId: row.orderId,
  orderNumber: row.orderNumber,
});

async function totals(client: DbOrTx, shopId: string, f: ResolvedFilter): Promise<LedgerTotal[] | null> {
  const rows = await client.$queryRaw<{ accountKind: string; currency: string; amountMinor: bigint; postings: bigint; capped: boolean }[]>`
    WITH matching AS (
      SELECT p."accountKind", p."currency", p."amountMinor"
      FROM "LedgerPosting" p JOIN "LedgerTransaction" t ON t."id" = p."transactionId"
      WHERE ${where(shopId, f)}
      LIMIT ${TOTALS_CAP + 1}
    )
    SELECT "accountKind", "currency", sum("amountMinor")::bigint AS "amountMinor", count(*) AS postings,
      (SELECT count(*) FROM matching) > ${TOTALS_CAP} AS capped
    FROM matching GROUP BY 1, 2 ORDER BY 2, 1`;
  if (rows.some((row) => row.capped)) return null;
  return rows.map((row) => ({
    accountKind: row.accountKind,
    currency: row.currency,
    amountMinor: row.amountMinor.toString(),
    amount: formatMinor(row.amountMinor, row.currency as CurrencyCode),
    postings: Number(row.postings),
  }));
}

/** The Ledger page's loader: one page of postings and the filter's totals. */
export async function ledgerPage(client: DbOrTx, shopId: string, params: URLSearchParams): Promise<LedgerPage> {
  const resolved = await resolveLedgerFilter(client, shopId, params);
  if (!resolved.ok) return resolved;
  if (resolved.unknown) return { ok: true, filter: resolved.filter, rows: [], next: null, totals: [], unknown: resolved.unknown };
  const [rows, sums] = await Promise.all([
    pageRows(client, shopId, resolved.resolved, resolved.after, LEDGER_PAGE_SIZE + 1),
    // Totals describe the whole filter, not the page: computed once, on the first page.
    resolved.after ? Promise.resolve(null) : totals(client, shopId, resolved.resolved),
  ]);
  const page = rows.slice(0, LEDGER_PAGE_SIZE);
  return {
    ok: true,
    filter: resolved.filter,
    rows: page.map(rowJson),
    next: rows.length > LEDGER_PAGE_SIZE ? cursorOf(page[page.length - 1]!) : null,
    totals: sums,
    unknown: null,
  };
}

const CSV_HEADER = "posting_id,transaction_id,occurred_at,kind,account,account_kind,distributor_code,order_number,amount_minor,amount,currency";
const CSV_CHUNK = 2_000;

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading = + - @ is defused for spreadsheets. */
function csvField(value: string | null): string {
  if (value === null) return "";
  const safe = /^[=+\-@]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The filter's postings as CSV lines, CSV_CHUNK postings per query on the same keyset as the page, so an
 * export of millions of rows streams in constant memory. Yields null first when the filter is invalid.
 */
export async function* ledgerCsvChunks(client: DbOrTx, shopId: string, params: URLSearchParams): AsyncGenerator<string> {
  const resolved = await resolveLedgerFilter(client, shopId, params);
  yield `${CSV_HEADER}\r\n`;
  if (!resolved.ok || resolved.unknown) return;
  let after = resolved.after;
  for (;;) {
    const rows = await pageRows(client, shopId, resolved.resolved, after, CSV_CHUNK);
    if (rows.length === 0) return;
    yield rows
      .map((row) => {
        const r = rowJson(row);
        return `${[r.postingId, r.transactionId, r.occurredAt, r.kind, r.account, r.accountKind, r.distributorCode, r.orderNumber, r.amountMinor, r.amount, r.currency].map(csvField).join(",")}\r\n`;
      })
      .join("");
    if (rows.length < CSV_CHUNK) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.occurredAt, id: last.postingId };
  }
}
