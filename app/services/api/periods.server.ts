/**
 * The REST surface of periods (routes api.v1.periods*.ts are glue around these): list, one period with what it
 * posted and the explanation of its latest close, close and re-open. Every query is scoped by the caller's shop,
 * so another shop's period id is a 404, never a leak. Amounts are strings (moneyJson), never floats.
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import type { PeriodLine } from "~/domain/periods";
import { dayText, instantText } from "~/domain/input-atoms";
import { areaProblem } from "~/services/http/error-map.server";
import { parseOrProblem, ProblemError, validationProblem, type FieldIssue } from "~/services/http/problem.server";
import { moneyJson, moneySchema } from "~/services/ledger/money-json.server";
import { answered, storedProblem, type StoredResponse } from "~/services/api/idempotency.server";
import { anyJson, idJson, instantJson } from "~/services/api/response-atoms";
import { CommissionPeriodSchedule, CommissionPeriodStatus, PeriodCloseRunAction } from "~/generated/prisma/enums";
import { ensurePeriods } from "~/services/periods/calendar.server";
import { closeCommissionPeriod } from "~/services/periods/close-period.server";
import { PeriodServiceError } from "~/services/periods/errors.server";
import { reopenCommissionPeriod } from "~/services/periods/reopen-period.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const listQuerySchema = z.object({
  status: z.enum(["open", "closed", "reopened"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const detailQuerySchema = z.object({ lines_limit: z.coerce.number().int().min(0).max(5_000).default(500) });

type PeriodRow = Awaited<ReturnType<typeof findPeriods>>[number];

/** The latest close's result as PeriodCloseRun.snapshot stores it (bigints as strings); older runs may lack keys. */
interface StoredCloseResult {
  lines: (Omit<PeriodLine, "amountMinor"> & { amountMinor: string })[];
  flags: unknown[];
  ranks?: { distributorId: string; paidAsRank: string | null; achievedRank: string | null }[];
  breakage?: { rule: string; kind: string; distributorId: string | null; amountMinor: string; currency: string; reason: string }[];
  currency?: string;
  payouts?: {
    distributorId: string;
    carriedInMinor?: string;
    earnedMinor?: string;
    payableMinor: string;
    decision: string;
    paidMinor?: string;
    carriedOutMinor?: string;
  }[];
}

function findPeriods(db: Db, shopId: string, where: { status?: "open" | "closed" | "reopened"; id?: string }, take: number) {
  return db.commissionPeriod.findMany({
    where: { shopId, ...where },
    orderBy: { startsAt: "desc" },
    take,
    select: {
      id: true,
      key: true,
      schedule: true,
      startsAt: true,
      endsAt: true,
      status: true,
      revision: true,
      currency: true,
      planVersionId: true,
      closedAt: true,
      closedBy: true,
      reopenedAt: true,
      reopenedBy: true,
      reopenReason: true,
      releasedAt: true,
      summary: true,
    },
  });
}

/** One period as every periods endpoint answers it. */
export const periodResponse = z.strictObject({
  id: idJson,
  /** "2026-03" (monthly) or "2026-W10" (ISO week). */
  key: z.string(),
  schedule: z.enum(CommissionPeriodSchedule),
  starts_at: instantJson,
  ends_at: instantJson,
  status: z.enum(CommissionPeriodStatus),
  revision: z.int().min(0),
  plan_version_id: idJson.nullable(),
  closed_at: instantJson.nullable(),
  closed_by: z.string().nullable(),
  reopened_at: instantJson.nullable(),
  reopened_by: z.string().nullable(),
  reopen_reason: z.string().nullable(),
  released_at: instantJson.nullable(),
  /** What the latest close pays; null before the first close. */
  totals: z.strictObject({ paid: moneySchema, lines: z.int().min(0), orders: z.int().min(0), distributors: z.int().min(0) }).nullable(),
});

function periodJson(row: PeriodRow): z.input<typeof periodResponse> {
  const summary = (row.summary ?? null) as { totalMinor?: string; postedMinor?: string; lines?: number; orders?: number; distributors?: number } | null;
  return {
    id: row.id,
    key: row.key,
    schedule: row.schedule,
    starts_at: row.startsAt.toISOString(),
    ends_at: row.endsAt.toISOString(),
    status: row.status,
    revision: row.revision,
    plan_version_id: row.planVersionId,
    closed_at: row.closedAt?.toISOString() ?? null,
    closed_by: row.closedBy,
    reopened_at: row.reopenedAt?.toISOString() ?? null,
    reopened_by: row.reopenedBy,
    reopen_reason: row.reopenReason,
    released_at: row.releasedAt?.toISOString() ?? null,
    totals:
      summary && row.currency
        ? {
            paid: moneyJson(BigInt(summary.totalMinor ?? "0"), row.currency),
            lines: summary.lines ?? 0,
            orders: summary.orders ?? 0,
            distributors: summary.distributors ?? 0,
          }
        : null,
  };
}

export const periodListResponse = z.strictObject({ periods: z.array(periodResponse) });

export async function listPeriods(db: Db, shopId: string, params: URLSearchParams): Promise<z.input<typeof periodListResponse>> {
  const query = parseOrProblem(listQuerySchema, Object.fromEntries(params), "query");
  const rows = await findPeriods(db, shopId, query.status ? { status: query.status } : {}, query.limit);
  return { periods: rows.map(periodJson) };
}

function notFound(id: string): ProblemError {
  return new ProblemError({ status: 404, type: "not-found", title: "Not found", detail: `No period ${id}.` });
}

/** One period: what each close posted per (rule, recipient), the audit trail, and the latest close's lines. */
export const periodDetailResponse = z.strictObject({
  period: periodResponse,
  /** What each close (revision) posted per rule and recipient. */
  posted: z.array(
    z.strictObject({ revision: z.int().min(1), rule: z.string(), kind: z.string(), distributor_id: idJson, amount: moneySchema, idempotency_key: z.string() }),
  ),
  /** The close/re-open trail; `summary` is the close summary as stored (see POST /api/v1/periods/close). */
  runs: z.array(
    z.strictObject({
      id: idJson,
      action: z.enum(PeriodCloseRunAction),
      revision: z.int().min(0),
      actor: z.string(),
      reason: z.string().nullable(),
      summary: anyJson,
      at: instantJson,
    }),
  ),
  lines: z.array(z.strictObject({ distributor_id: idJson, rule: z.string(), kind: z.string(), amount: moneySchema, detail: anyJson })),
  /** All lines of the latest close (the `lines` array stops at `lines_limit`). */
  lines_total: z.int().min(0),
  ranks: z.array(z.strictObject({ distributorId: idJson, paidAsRank: z.string().nullable(), achievedRank: z.string().nullable() })),
  breakage: z.array(z.strictObject({ distributor_id: idJson.nullable(), rule: z.string(), kind: z.string(), amount: moneySchema, reason: z.string() })),
  payouts: z.array(
    z.strictObject({
      distributor_id: idJson,
      carried_in: moneySchema.nullable(),
      earned: moneySchema.nullable(),
      payable: moneySchema.nullable(),
      decision: z.string(),
      paid: moneySchema.nullable(),
      carried_out: moneySchema.nullable(),
    }),
  ),
  flags: z.array(anyJson),
});

export async function periodDetail(db: Db, shopId: string, id: string, params: URLSearchParams): Promise<z.input<typeof periodDetailResponse>> {
  const query = parseOrProblem(detailQuerySchema, Object.fromEntries(params), "query");
  if (!UUID.test(id)) throw notFound(id);
  const [row] = await findPeriods(db, shopId, { id }, 1);
  if (!row) throw notFound(id);
  const [posted, runs] = await Promise.all([
    db.periodCommission.findMany({ where: { shopId, periodId: id }, orderBy: [{ revision: "asc" }, { rule: "asc" }, { distributorId: "asc" }] }),
    db.periodCloseRun.findMany({
      where: { shopId, periodId: id },
      orderBy: { createdAt: "asc" },
      select: { id: true, action: true, revision: true, actor: true, reason: true, summary: true, createdAt: true },
    }),
  ]);
  const latestClose = await db.periodCloseRun.findFirst({
    where: { shopId, periodId: id, action: "close" },
    orderBy: { revision: "desc" },
    select: { snapshot: true },
  });
  const result = latestClose?.snapshot ? (JSON.parse(latestClose.snapshot) as StoredCloseResult) : null;
  const lines = result?.lines ?? [];
  return {
    period: periodJson(row),
    posted: posted.map((entry) => ({
      revision: entry.revision,
      rule: entry.rule,
      kind: entry.kind,
      distributor_id: entry.distributorId,
      amount: moneyJson(entry.amountMinor, entry.currency),
      idempotency_key: entry.idempotencyKey,
    })),
    runs: runs.map((run) => ({
      id: run.id,
      action: run.action,
      revision: run.revision,
      actor: run.actor,
      reason: run.reason,
      summary: run.summary,
      at: run.createdAt.toISOString(),
    })),
    lines: lines.slice(0, query.lines_limit).map((line) => ({
      distributor_id: line.distributorId,
      rule: line.rule,
      kind: line.kind,
      amount: moneyJson(BigInt(line.amountMinor), line.currency),
      detail: line.detail,
    })),
    lines_total: lines.length,
    // Who qualified for a rank (the rows written to DistributorRankPeriod come from these), as the what-if shows them.
    ranks: (result?.ranks ?? [])
      .filter((rank) => rank.paidAsRank !== null || rank.achievedRank !== null)
      .map((rank) => ({ distributorId: rank.distributorId, paidAsRank: rank.paidAsRank, achievedRank: rank.achievedRank })),
    // What the plan would have paid but nobody may receive (a cap, a rank, the company node), with its reason.
    breakage: (result?.breakage ?? []).map((line) => ({
      distributor_id: line.distributorId,
      rule: line.rule,
      kind: line.kind,
      amount: moneyJson(BigInt(line.amountMinor), line.currency),
      reason: line.reason,
    })),
    // Each distributor's payout decision at the latest close: the balance brought forward (deferred, debt,
    // clawbacks) netted with what the period earned (app/domain/periods/payout-netting.ts).
    payouts: (result?.payouts ?? []).map((payout) => {
      const money = (minor: string | undefined) => (minor === undefined ? null : moneyJson(BigInt(minor), result?.currency ?? row.currency ?? ""));
      return {
        distributor_id: payout.distributorId,
        carried_in: money(payout.carriedInMinor),
        earned: money(payout.earnedMinor),
        payable: money(payout.payableMinor),
        decision: payout.decision,
        paid: money(payout.paidMinor),
        carried_out: money(payout.carriedOutMinor),
      };
    }),
    flags: result?.flags ?? [],
  };
}

// One object with optional fields rather than a union of objects, so an invalid value is reported on its own
// field (a union failing as a whole names only "(body)"). `schedule` picks one when a plan has more than one
// (additionalSchedules): their periods overlap.
export const closeBodySchema = z
  .strictObject({
    period_id: z.string().regex(UUID, "must be a period id").optional(),
    period_start: instantText.or(dayText).optional(),
    schedule: z.enum(["weekly", "monthly"]).optional(),
  })
  .refine((body) => (body.period_id === undefined) !== (body.period_start === undefined), {
    error: "give period_id or period_start (one of them)",
    path: ["period_id"],
  })
  .refine((body) => body.schedule === undefined || body.period_start !== undefined, { error: "schedule goes with period_start", path: ["schedule"] });

function serviceProblem(error: PeriodServiceError): StoredResponse {
  return storedProblem(areaProblem(error)!.init);
}

function validationFailed(issues: readonly FieldIssue[]): StoredResponse {
  return storedProblem(validationProblem(422, issues, "The request has invalid or missing fields."));
}

/** The close summary (CloseSummary of close-period.server.ts), keys as stored on the close run. */
const closeSummarySchema = z.strictObject({
  revision: z.int().min(1),
  planVersionId: idJson,
  currency: z.string(),
  orders: z.int().min(0),
  reversals: z.int().min(0),
  distributors: z.int().min(0),
  lines: z.int().min(0),
  totalMinor: z.string().regex(/^-?\d+$/),
  postedMinor: z.string().regex(/^-?\d+$/),
  transactions: z.int().min(0),
  postings: z.int().min(0),
  breakageMinor: z.string().regex(/^-?\d+$/),
  ranksWritten: z.int().min(0),
  deferredPayouts: z.int().min(0),
  flags: z.record(z.string(), z.int()),
  timings: z.strictObject({ loadMs: z.number(), computeMs: z.number(), writeMs: z.number() }),
});

/** `closed` with the close's summary, or `already_closed` (closing twice changes nothing). */
export const closeResponse = z.strictObject({
  action: z.enum(["closed", "already_closed"]),
  period: periodResponse.nullable(),
  summary: closeSummarySchema.optional(),
});

/** POST /api/v1/periods/close: by id, or by any instant of the period (its start); the periods are created first. */
export async function closePeriodRequest(db: Db, shopId: string, body: unknown, actor: string, now = new Date()): Promise<StoredResponse> {
  const parsed = closeBodySchema.safeParse(body);
  if (!parsed.success) return validationFailed(parsed.error.issues);
  try {
    await ensurePeriods(db, shopId, now);
    let periodId: string;
    if (parsed.data.period_id !== undefined) periodId = parsed.data.period_id;
    else {
      const at = new Date(parsed.data.period_start!);
      const schedule = parsed.data.schedule ? { schedule: parsed.data.schedule } : {};
      const period = await db.commissionPeriod.findFirst({ where: { shopId, startsAt: { lte: at }, endsAt: { gt: at }, ...schedule }, select: { id: true } });
      if (!period) return serviceProblem(new PeriodServiceError("period_not_found", `no period of this shop contains ${parsed.data.period_start}`));
      periodId = period.id;
    }
    const outcome = await closeCommissionPeriod(db, shopId, periodId, { actor, now });
    const [row] = await findPeriods(db, shopId, { id: periodId }, 1);
    return answered(closeResponse, 200, {
      action: outcome.action,
      period: row ? periodJson(row) : null,
      ...(outcome.action === "closed" ? { summary: outcome.summary } : {}),
    });
  } catch (error) {
    if (error instanceof PeriodServiceError) return serviceProblem(error);
    throw error;
  }
}

export const reopenBodySchema = z.strictObject({ reason: z.string().trim().min(1, "a re-open needs a reason").max(2_000) });

export const reopenResponse = z.strictObject({ period: periodResponse.nullable() });

export async function reopenPeriodRequest(db: Db, shopId: string, id: string, body: unknown, actor: string): Promise<StoredResponse> {
  const parsed = reopenBodySchema.safeParse(body);
  if (!parsed.success) return validationFailed(parsed.error.issues);
  if (!UUID.test(id)) return serviceProblem(new PeriodServiceError("period_not_found", `no period ${id} in this shop`));
  try {
    await reopenCommissionPeriod(db, shopId, id, { actor, reason: parsed.data.reason });
    const [row] = await findPeriods(db, shopId, { id }, 1);
    return answered(reopenResponse, 200, { period: row ? periodJson(row) : null });
  } catch (error) {
    if (error instanceof PeriodServiceError) return serviceProblem(error);
    throw error;
  }
}
