import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { ledgerCsvChunks } from "~/services/admin/ledger.server";

// The Ledger page's "Export CSV": every posting the page's filter matches, streamed page by page (constant memory
// for millions of rows), authenticated as the admin page is.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const chunks = ledgerCsvChunks(db(), shop.id, new URL(request.url).searchParams);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="ledger-${new Date().toISOString().slice(0, 10)}.csv"` },
  });
};
