/**
 * The run's bank file, streamed: rows are read in pages of 1,000 by item id (keyset), so a run of 100,000
 * payees never sits in memory as one string. Only bank items of an approved (or later) run, still open or
 * paid, are listed: a cancelled or failed item must never be paid from the file.
 */
import type { Db } from "~/db.server";
import { csvLine, EXPORT_HEADER, exportLine } from "~/domain/payouts";

const PAGE = 1_000;

export function streamBankFile(db: Db, shopId: string, runId: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = "00000000-0000-0000-0000-000000000000";
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvLine([...EXPORT_HEADER])));
        return;
      }
      const rows = await db.$queryRaw<
        { id: string; code: string; name: string | null; email: string | null; destination: Record<string, unknown>; amountMinor: bigint; currency: string }[]
      >`
        SELECT i."id", d."code", d."name", d."email", i."destination", i."amountMinor", i."currency"
        FROM "PayoutItem" i JOIN "Distributor" d ON d."shopId" = i."shopId" AND d."id" = i."distributorId"
        WHERE i."shopId" = ${shopId}::uuid AND i."runId" = ${runId}::uuid AND i."method" = 'bank'
          AND i."status" IN ('pending', 'submitted', 'paid') AND i."id" > ${after}::uuid
        ORDER BY i."id" LIMIT ${PAGE}`;
      if (rows.length === 0) return controller.close();
      after = rows[rows.length - 1]!.id;
      controller.enqueue(
        encoder.encode(
          rows
            .map((row) =>
              exportLine({
                itemId: row.id,
                distributorCode: row.code,
                name: row.name,
                email: row.email,
                destination: row.destination,
                amountMinor: row.amountMinor,
                currency: row.currency,
              }),
            )
            .join(""),
        ),
      );
    },
  });
}
