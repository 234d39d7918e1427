/**
 * GET /api/v1/payouts/tax-report.csv?year=YYYY: the year-end tax report (app/domain/payouts/tax-report.ts) over
 * the items that stayed paid, by the day they were paid (UTC calendar year). A returned item is not income (its
 * money came back to the wallet), so only items whose status is `paid` count.
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import type { PayoutMethodKind } from "~/domain/payouts";
import { taxReportLines, type PaidTotal } from "~/domain/payouts/tax-report";

export const taxReportQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

export async function paidTotals(db: Db, shopId: string, year: number): Promise<PaidTotal[]> {
  const from = new Date(Date.UTC(year, 0, 1));
  const to = new Date(Date.UTC(year + 1, 0, 1));
  const rows = await db.$queryRaw<
    {
      distributorId: string;
      code: string;
      name: string | null;
      email: string | null;
      taxFormStatus: PaidTotal["taxFormStatus"];
      method: PayoutMethodKind;
      currency: string;
      items: number;
      total: bigint;
    }[]
  >`
    SELECT i."distributorId", d."code", d."name", d."email", d."taxFormStatus"::text AS "taxFormStatus", i."method"::text AS method, i."currency",
      count(*)::int AS items, sum(i."amountMinor")::bigint AS total
    FROM "PayoutItem" i JOIN "Distributor" d ON d."shopId" = i."shopId" AND d."id" = i."distributorId"
    WHERE i."shopId" = ${shopId}::uuid AND i."status" = 'paid' AND i."paidAt" >= ${from} AND i."paidAt" < ${to}
    GROUP BY i."distributorId", d."code", d."name", d."email", d."taxFormStatus", i."method", i."currency"`;
  return rows.map((row) => ({ ...row, totalMinor: row.total }));
}

export async function taxReportCsv(db: Db, shopId: string, year: number): Promise<string> {
  return taxReportLines(year, await paidTotals(db, shopId, year)).join("");
}
