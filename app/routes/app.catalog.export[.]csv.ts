import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { mappingCsv } from "~/services/admin/catalog.server";

// The Catalog page's "Export CSV": the whole SKU → class mapping, streamed, in the format the import reads.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const rows = mappingCsv(db(), shop.id);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await rows.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  return new Response(body, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="sku-mappings.csv"' },
  });
};
