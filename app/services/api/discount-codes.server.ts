/**
 * /api/v1/discount-codes: coupons that stand for a distributor (attribution falls back to them when an order
 * carries no referral code), through mapDiscountCode, which normalizes the code as the platforms compare it and
 * audits the change. Mapping a code again moves it to the new distributor.
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import { normalizeDiscountCode } from "~/domain/attribution/discount-code";
import { mapDiscountCode } from "~/services/commissions/setup.server";
import { findDistributorByIdOrCode } from "~/services/genealogy/lookup.server";
import type { StoredResponse } from "./idempotency.server";
import { asStored, fieldProblem, parseBody, parseQueryParams } from "./stored.server";

export const discountCodeBody = z.strictObject({
  /** Compared case-insensitively; punctuation is part of a coupon. */
  code: z
    .string()
    .min(1)
    .max(255)
    .refine((code) => normalizeDiscountCode(code) !== null, { error: "must not be blank" }),
  /** The distributor's id or referral code. */
  distributor: z.string().min(1).max(64),
});

export const discountCodeListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The last code of the previous page (`next_after`). */
  after: z.string().min(1).max(255).optional(),
});

interface CodeRow {
  code: string;
  createdAt: Date;
  distributor: { id: string; code: string };
}

function codeJson(row: CodeRow) {
  return { code: row.code, distributor: { id: row.distributor.id, code: row.distributor.code }, created_at: row.createdAt.toISOString() };
}

export async function listDiscountCodes(db: Db, shopId: string, params: URLSearchParams) {
  const query = parseQueryParams(discountCodeListQuery, params);
  const rows = await db.discountCodeMapping.findMany({
    where: { shopId, ...(query.after ? { code: { gt: query.after } } : {}) },
    orderBy: { code: "asc" },
    take: query.limit + 1,
    select: { code: true, createdAt: true, distributor: { select: { id: true, code: true } } },
  });
  const page = rows.slice(0, query.limit);
  return { items: page.map(codeJson), next_after: rows.length > query.limit ? page.at(-1)!.code : null };
}

export function saveDiscountCodeRequest(db: Db, shopId: string, tokenId: string, body: unknown): Promise<StoredResponse> {
  return asStored(async () => {
    const input = parseBody(discountCodeBody, body, "The discount code has invalid or missing fields.");
    const distributor = await findDistributorByIdOrCode(db, shopId, input.distributor);
    if (!distributor) throw fieldProblem(["distributor"], `no distributor ${input.distributor} in this shop`, "The distributor is unknown.");
    const row = await mapDiscountCode(db, shopId, input.code, distributor.id, `api:${tokenId}`);
    return { status: 200, body: { discount_code: codeJson({ code: row.code, createdAt: row.createdAt, distributor }) } };
  });
}
