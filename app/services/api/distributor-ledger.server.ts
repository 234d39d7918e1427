/**
 * GET /api/v1/distributors/:id/ledger: a distributor's balances (pending and available, per currency) and
 * wallet entries, newest first, `limit` per page, `cursor` from the previous page's `next_cursor`.
 */
import { z } from "zod";
import type { DbOrTx } from "~/db/tx.server";
import { findDistributorByIdOrCode } from "~/services/genealogy/lookup.server";
import { fitsBigint } from "~/domain/input-atoms";
import { parseOrProblem, ProblemError } from "~/services/http/problem.server";
import { walletBalances } from "~/services/ledger/balances.server";
import { walletEntries } from "~/services/ledger/entries.server";
import { moneyJson, moneySchema } from "~/services/ledger/money-json.server";
import { LedgerTransactionKind } from "~/generated/prisma/enums";
import { idJson, instantJson } from "./response-atoms";

export const ledgerQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,19}$/, { error: "must be the next_cursor of a previous page", abort: true })
    // 19 digits can exceed a bigint: refused here rather than by PostgreSQL (a 500).
    .refine((text) => !/^\d{1,19}$/.test(text) || fitsBigint(BigInt(text)), { error: "must be the next_cursor of a previous page" })
    .optional(),
});

export const distributorLedgerResponse = z.strictObject({
  distributor: z.strictObject({ id: idJson, code: z.string() }),
  balances: z.array(z.strictObject({ currency: z.string(), pending: moneySchema, available: moneySchema })),
  entries: z.array(
    z.strictObject({
      /** The posting's id (a bigint as a decimal string). */
      id: z.string().regex(/^\d+$/),
      transaction_id: idJson,
      kind: z.enum(LedgerTransactionKind),
      wallet: z.enum(["pending", "available"]),
      amount: moneySchema,
      order_id: idJson.nullable(),
      refund_id: z.string().nullable(),
      occurred_at: instantJson,
      posted_at: instantJson,
      idempotency_key: z.string(),
    }),
  ),
  /** Pass back as `cursor` for the next (older) page; null on the last. */
  next_cursor: z.string().nullable(),
});

export async function distributorLedger(
  client: DbOrTx,
  shopId: string,
  idOrCode: string,
  params: URLSearchParams,
): Promise<z.input<typeof distributorLedgerResponse>> {
  const query = parseOrProblem(ledgerQuerySchema, Object.fromEntries(params), "query");
  const distributor = await findDistributorByIdOrCode(client, shopId, idOrCode);
  if (!distributor) throw new ProblemError({ status: 404, type: "not-found", title: "Not found", detail: `No distributor ${idOrCode}.` });

  const [balances, page] = await Promise.all([
    walletBalances(client, shopId, distributor.id),
    walletEntries(client, shopId, distributor.id, { limit: query.limit, before: query.cursor ? BigInt(query.cursor) : null }),
  ]);
  return {
    distributor: { id: distributor.id, code: distributor.code },
    // What the shop owes the distributor; available may be negative after a clawback (a carried debt).
    balances: balances.map((balance) => ({
      currency: balance.currency,
      pending: moneyJson(balance.pendingMinor, balance.currency),
      available: moneyJson(balance.availableMinor, balance.currency),
    })),
    entries: page.entries.map((entry) => ({
      id: entry.postingId.toString(),
      transaction_id: entry.transactionId,
      kind: entry.kind,
      wallet: entry.accountKind === "wallet_pending" ? "pending" : "available",
      // Positive: the wallet grew (a commission, or a release arriving); negative: taken back or moved out.
      amount: moneyJson(-entry.amountMinor, entry.currency),
      order_id: entry.orderId,
      refund_id: entry.refundId,
      occurred_at: entry.occurredAt.toISOString(),
      posted_at: entry.createdAt.toISOString(),
      idempotency_key: entry.idempotencyKey,
    })),
    next_cursor: page.nextBefore?.toString() ?? null,
  };
}
