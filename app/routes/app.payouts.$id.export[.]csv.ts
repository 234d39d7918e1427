import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { requireShop } from "~/services/admin/require-shop.server";
import { streamBankFile } from "~/services/payouts/export.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The Payouts page's download link: the run's bank file (the same stream as GET /api/v1/payout-runs/:id/export.csv),
// authenticated as the admin page is. Only an approved (or later) run has a file.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const id = params.id ?? "";
  const run = UUID.test(id) ? await db().payoutRun.findFirst({ where: { shopId: shop.id, id }, select: { id: true, status: true } }) : null;
  if (!run) return new Response("No such payout run.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  if (run.status === "draft" || run.status === "cancelled") {
    return new Response(`The run is ${run.status}: only an approved run has a bank file.`, {
      status: 409,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return new Response(streamBankFile(db(), shop.id, run.id), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="payout-run-${run.id}.csv"` },
  });
};
