/**
 * Closing one commission period, in ONE database transaction:
 *   1. lock the period row (a concurrent close of the same period waits here, then finds it closed: no-op);
 *   2. load the close's inputs as of the period's end (order-inputs, tree-inputs, the previous close's carry);
 *   3. run the pure close (app/domain/periods closePeriod) with the plan version in force at the period's end;
 *   4. post to the ledger: the first close its totals under periodLineKey, a re-close after a re-open only the
 *      corrections (new totals minus everything posted before, periodCorrections) under periodCorrectionKey,
 *      dated now, into the pending wallet, or the available one once the period was released (release.server.ts);
 *   5. write ranks, volumes, leg volumes and carry, mark the period closed and append the close's audit row with
 *      the result (its snapshot replays it: closePeriod(periodInputFromSnapshot(snapshot))).
 * A crash anywhere rolls everything back; closing a closed period changes nothing.
 */
import {
  closePeriod as computeClose,
  PeriodInputError,
  periodCorrections,
  periodResultToJson,
  type PeriodCloseInput,
  type PeriodCloseResult,
  type PeriodLineTotal,
  type PeriodRef,
} from "~/domain/periods";
import type { Db } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";
import type { Tx } from "~/db/tx.server";
import { planVersionAt } from "~/services/commissions/plan.server";
import { PeriodServiceError } from "./errors.server";
import { loadOrderInputs } from "./order-inputs.server";
import { carryToJson, loadCarryIn, writePeriodState } from "./period-state.server";
import { postPeriodTotals } from "./post-period.server";
import { loadDistributorsAt, loadPreviousRanks } from "./tree-inputs.server";
import { periodCloseSeconds } from "~/services/metrics/metrics.server";

/** A month of a large shop is read, computed and written in one transaction: far beyond Prisma's 5 s default. */
const CLOSE_TIMEOUT_MS = 10 * 60_000;

export type CloseOutcome =
  | { readonly action: "closed"; readonly periodId: string; readonly revision: number; readonly summary: CloseSummary }
  | { readonly action: "already_closed"; readonly periodId: string; readonly revision: number };

export interface CloseSummary {
  readonly revision: number;
  readonly planVersionId: string;
  readonly currency: string;
  readonly orders: number;
  readonly reversals: number;
  readonly distributors: number;
  readonly lines: number;
  /** What this close's result pays in total (all revisions together add up to it). */
  readonly totalMinor: string;
  /** What this revision posted: the total on the first close, the net correction on a re-close. */
  readonly postedMinor: string;
  readonly transactions: number;
  readonly postings: number;
  readonly breakageMinor: string;
  readonly ranksWritten: number;
  readonly deferredPayouts: number;
  readonly flags: Readonly<Record<string, number>>;
  /** Where the close spent its time (reading inputs, the pure close, posting and writing), for operators. */
  readonly timings: { readonly loadMs: number; readonly computeMs: number; readonly writeMs: number };
}

export interface CloseOptions {
  readonly actor: string;
  readonly now?: Date;
}

interface PeriodRow {
  id: string;
  schedule: "weekly" | "monthly";
  key: string;
  startsAt: Date;
  endsAt: Date;
  status: "open" | "closed" | "reopened";
  revision: number;
  releasedAt: Date | null;
}

/** Closes one period, timed for the metric `upline_period_close_seconds` by outcome. */
export async function closeCommissionPeriod(db: Db, shopId: string, periodId: string, options: CloseOptions): Promise<CloseOutcome> {
  const started = performance.now();
  let outcome = "error";
  try {
    const result = await closePeriodOnce(db, shopId, periodId, options);
    outcome = result.action;
    return result;
  } catch (error) {
    if (error instanceof PeriodServiceError) outcome = "refused";
    throw error;
  } finally {
    periodCloseSeconds.observe({ outcome }, (performance.now() - started) / 1000);
  }
}

async function closePeriodOnce(db: Db, shopId: string, periodId: string, options: CloseOptions): Promise<CloseOutcome> {
  const now = options.now ?? new Date();
  return db.$transaction(
    async (tx) => {
      const [period] = await tx.$queryRaw<PeriodRow[]>`
        SELECT "id", "schedule"::text AS schedule, "key", "startsAt", "endsAt", "status"::text AS status, "revision", "releasedAt"
        FROM "CommissionPeriod" WHERE "shopId" = ${shopId}::uuid AND "id" = ${periodId}::uuid
        FOR UPDATE`;
      if (!period) throw new PeriodServiceError("period_not_found", `no period ${periodId} in this shop`);
      if (period.status === "closed") return { action: "already_closed", periodId, revision: period.revision };
      if (period.endsAt > now) throw new PeriodServiceError("period_not_ended", `period ${period.key} runs until ${period.endsAt.toISOString()}`);
      await assertEarlierPeriodsClosed(tx, shopId, period);

      const started = performance.now();
      const { input, counts } = await loadCloseInput(tx, shopId, period);
      const loaded = performance.now();
      const result = runClose(input, period.key);
      const computed = performance.now();
      const revision = period.revision + 1;
      const totals =
        revision === 1 ? result.totals : periodCorrections({ posted: await postedTotals(tx, shopId, period.id), recomputed: result, revision: revision - 1 });
      const posted = await postPeriodTotals(tx, {
        shopId,
        periodId: period.id,
        periodKey: period.key,
        revision,
        kind: revision === 1 ? "period_commission" : "period_correction",
        walletStage: period.releasedAt === null ? "pending" : "available",
        occurredAt: revision === 1 ? period.endsAt : now,
        totals,
      });
      // Volumes, leg volumes and ranks belong to the main schedule; an additional one (a weekly fast start) only pays.
      const isMainSchedule = (input.planVersion.rules.period?.schedule ?? period.schedule) === period.schedule;
      const { ranks } = isMainSchedule ? await writePeriodState(tx, shopId, period.startsAt, input, result) : { ranks: 0 };
      const timings = { loadMs: Math.round(loaded - started), computeMs: Math.round(computed - loaded), writeMs: Math.round(performance.now() - computed) };
      const summary = summarize(result, totals, { ...counts, distributors: input.distributors.length, revision, ranksWritten: ranks, ...posted }, timings);
      await tx.$executeRaw`
        UPDATE "CommissionPeriod" SET "status" = 'closed', "revision" = ${revision}, "closedAt" = ${now}, "closedBy" = ${options.actor},
          "planVersionId" = ${result.planVersionId}::uuid, "currency" = ${result.currency}, "summary" = ${JSON.stringify(summary)}::jsonb,
          "carryOut" = ${carryToJson(result.carry)}, "updatedAt" = now()
        WHERE "id" = ${period.id}::uuid`;
      await tx.periodCloseRun.create({
        data: {
          shopId,
          periodId: period.id,
          action: "close",
          revision,
          actor: options.actor,
          planVersionId: result.planVersionId,
          summary: summary as unknown as Prisma.InputJsonObject,
          snapshot: periodResultToJson(result),
        },
      });
      return { action: "closed", periodId: period.id, revision, summary };
    },
    { timeout: CLOSE_TIMEOUT_MS, maxWait: 60_000 },
  );
}

/** The pure close; input it cannot trust (a loop in a tree, a schedule the version does not have) is a 422, not a crash. */
function runClose(input: PeriodCloseInput, key: string): PeriodCloseResult {
  try {
    return computeClose(input);
  } catch (error) {
    if (error instanceof PeriodInputError) throw new PeriodServiceError("invalid_close_input", `period ${key} cannot close: ${error.message}`);
    throw error;
  }
}

/** Carry and ranks flow from one period to the next, so a period closes only after every earlier one did. */
async function assertEarlierPeriodsClosed(tx: Tx, shopId: string, period: PeriodRow) {
  const [earlier] = await tx.$queryRaw<{ key: string }[]>`
    SELECT "key" FROM "CommissionPeriod"
    WHERE "shopId" = ${shopId}::uuid AND "endsAt" <= ${period.startsAt} AND "revision" = 0
    ORDER BY "startsAt" LIMIT 1`;
  if (earlier) throw new PeriodServiceError("earlier_period_open", `period ${earlier.key} must be closed first`);
}

async function loadCloseInput(tx: Tx, shopId: string, period: PeriodRow): Promise<{ input: PeriodCloseInput; counts: { orders: number; reversals: number } }> {
  // The version in force at the period's last instant: its end is exclusive.
  const lastInstant = new Date(period.endsAt.getTime() - 1);
  const candidates = await tx.$queryRaw<{ id: string; version: number; effectiveFrom: string }[]>`
    SELECT "id", "version", to_char("effectiveFrom", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "effectiveFrom"
    FROM "CommissionPlanVersion" WHERE "shopId" = ${shopId}::uuid AND "effectiveFrom" <= ${lastInstant}
    ORDER BY "effectiveFrom" DESC, "version" DESC LIMIT 1`;
  const planVersion = await planVersionAt(tx, shopId, candidates, lastInstant);
  if (!planVersion) throw new PeriodServiceError("no_plan_in_force", `no plan version was in force at the end of period ${period.key}`);
  const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } });
  const ref: PeriodRef = { key: period.key, schedule: period.schedule, start: period.startsAt.toISOString(), end: period.endsAt.toISOString() };
  const binary = planVersion.rules.components.some((component) => component.type === "binary");

  const orders = await loadOrderInputs(tx, shopId, ref, shop.currency);
  const distributors = await loadDistributorsAt(tx, shopId, period.endsAt, binary);
  const previousRanks = await loadPreviousRanks(tx, shopId, period.startsAt);
  const carry = await loadCarryIn(tx, shopId, period.schedule, period.startsAt);
  const input: PeriodCloseInput = {
    period: ref,
    planVersion,
    currency: shop.currency,
    distributors,
    volumes: orders.volumes,
    volumeAdjustments: orders.volumeAdjustments,
    binaryCarry: carry.binary,
    earnings: orders.earnings,
    previousRanks,
    deferredPayouts: carry.deferredPayouts,
    // Only when there are any, so the snapshot of a close without clawbacks keeps its text.
    ...(orders.clawbacks.length > 0 ? { clawbacks: orders.clawbacks } : {}),
    ...(planVersion.rules.maxPayoutPercent !== undefined || planVersion.rules.paycut !== undefined ? { salesBaseMinor: orders.salesBaseMinor } : {}),
  };
  return { input, counts: { orders: orders.orders, reversals: orders.reversals } };
}

/** What the period's earlier closes posted per (rule, recipient): the base of a re-close's corrections. */
async function postedTotals(tx: Tx, shopId: string, periodId: string) {
  const rows = await tx.$queryRaw<{ rule: string; kind: PeriodLineTotal["kind"]; distributorId: string; currency: string; amountMinor: bigint }[]>`
    SELECT "rule", "kind", "distributorId", "currency", sum("amountMinor")::bigint AS "amountMinor"
    FROM "PeriodCommission" WHERE "shopId" = ${shopId}::uuid AND "periodId" = ${periodId}::uuid
    GROUP BY "rule", "kind", "distributorId", "currency"`;
  return rows;
}

function summarize(
  result: PeriodCloseResult,
  posted: readonly PeriodLineTotal[],
  counts: { orders: number; reversals: number; distributors: number; revision: number; ranksWritten: number; transactions: number; postings: number },
  timings: CloseSummary["timings"],
): CloseSummary {
  const flags: Record<string, number> = {};
  for (const flag of result.flags) flags[flag.type] = (flags[flag.type] ?? 0) + 1;
  const sum = (rows: readonly { amountMinor: bigint }[]) => rows.reduce((total, row) => total + row.amountMinor, 0n).toString();
  return {
    revision: counts.revision,
    planVersionId: result.planVersionId,
    currency: result.currency,
    orders: counts.orders,
    reversals: counts.reversals,
    distributors: counts.distributors,
    lines: result.lines.length,
    totalMinor: sum(result.lines),
    postedMinor: sum(posted),
    transactions: counts.transactions,
    postings: counts.postings,
    breakageMinor: sum(result.breakage),
    ranksWritten: counts.ranksWritten,
    deferredPayouts: result.carry.deferredPayouts.length,
    flags,
    timings,
  };
}
