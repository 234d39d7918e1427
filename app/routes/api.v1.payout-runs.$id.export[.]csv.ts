import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { authenticateApiRequest } from "~/services/api/tokens.server";
import { ProblemError } from "~/services/http/problem.server";
import { streamBankFile } from "~/services/payouts/export.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// GET /api/v1/payout-runs/:id/export.csv (payouts:read) — the run's bank file, streamed (text/csv).
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  try {
    const caller = await authenticateApiRequest(db(), request, "payouts:read");
    const id = params.id ?? "";
    const run = UUID.test(id) ? await db().payoutRun.findFirst({ where: { shopId: caller.shopId, id }, select: { id: true, status: true } }) : null;
    if (!run) throw new ProblemError({ status: 404, type: "not-found", title: "Not found", detail: `No payout run ${id}.` });
    if (run.status === "draft" || run.status === "cancelled") {
      throw new ProblemError({
        status: 409,
        type: "payout-invalid-state",
        title: "Not allowed in this state",
        detail: `The run is ${run.status}: only an approved run has a bank file.`,
      });
    }
    return new Response(streamBankFile(db(), caller.shopId, run.id), {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="payout-run-${run.id}.csv"` },
    });
  } catch (error) {
    if (error instanceof ProblemError) return error.toResponse();
    throw error;
  }
};
