/**
 * The REST surface of payouts (routes api.v1.payout-* are glue around these). Every query is scoped by the
 * caller's shop, so another shop's id is a 404. Amounts are strings (moneyJson); payout destinations (e-mail,
 * account ids, bank details) are never returned.
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import { areaProblem } from "~/services/http/error-map.server";
import { parseOrProblem, ProblemError } from "~/services/http/problem.server";
import { moneyJson, moneySchema } from "~/services/ledger/money-json.server";
import { answered, storedProblem, type StoredResponse } from "~/services/api/idempotency.server";
import { idJson, instantJson } from "~/services/api/response-atoms";
import { HELD_REASONS } from "~/domain/payouts/plan";
import { PayoutItemStatus, PayoutMethodKind, PayoutRunStatus, PayoutSchedule } from "~/generated/prisma/enums";
import { importBankConfirmation, markItemPaid } from "./confirm.server";
import { payoutMethodBody, payoutSettingsBody, setPayoutMethod, setPayoutSettings } from "./methods.server";
import { previewPayouts } from "./preview.server";
import { enqueuePayoutRun } from "./queue.server";
import { approvePayoutRun, cancelPayoutRun, createPayoutRun } from "./runs.server";
import { setTaxFormStatus, taxFormBody, taxFormStatusOf } from "./tax-form.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/)
  .transform((c) => c.toUpperCase());

export const createRunBody = z.object({ currency: currency.nullable().default(null) }).strict();
export const emptyBody = z.object({}).strict();
export const confirmationBody = z.object({ csv: z.string().min(1).max(20_000_000) }).strict();
export const markPaidBody = z
  .object({
    outcome: z.enum(["paid", "failed"]).default("paid"),
    reference: z.string().max(200).nullable().default(null),
    error: z.string().max(500).nullable().default(null),
  })
  .strict();
export { payoutMethodBody, payoutSettingsBody };

export const payoutRunListQuery = z.object({
  status: z.enum(["draft", "approved", "executing", "completed", "cancelled"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const payoutPreviewQuery = z.object({ currency: currency.optional() });
export const distributorPayoutsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
export const payoutItemsQuery = z.object({
  status: z.enum(["pending", "submitted", "paid", "failed", "returned", "cancelled"]).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
  after: z.string().regex(UUID).optional(),
});

function parse<T extends z.ZodType>(schema: T, value: unknown, where: "query" | "body" = "body"): z.output<T> {
  return parseOrProblem(schema, value, where);
}

function requireId(id: string | undefined, what = "payout run"): string {
  if (!id || !UUID.test(id)) throw new ProblemError({ status: 404, type: "not-found", title: "Not found", detail: `No ${what} ${id ?? ""}.` });
  return id;
}

/** The payouts services' refusals as problem+json (mapped in the one error table). */
export const payoutProblem = areaProblem;

async function asStored(work: () => Promise<StoredResponse>): Promise<StoredResponse> {
  try {
    return await work();
  } catch (error) {
    const refusal = areaProblem(error);
    if (refusal) return storedProblem(refusal.init);
    throw error;
  }
}

const minorJson = z.string().regex(/^-?\d+$/);
const currencyTotal = z.strictObject({ currency: z.string(), items: z.int().min(0), total: moneySchema });

/** One payout run as every payout-runs endpoint answers it. */
export const payoutRunResponse = z.strictObject({
  id: idJson,
  status: z.enum(PayoutRunStatus),
  currency: z.string().nullable(),
  schedule: z.enum(PayoutSchedule),
  as_of: instantJson,
  item_count: z.int().min(0),
  totals: z.array(currencyTotal),
  held_back_count: z.int().min(0),
  /** Items per status. */
  progress: z.record(z.enum(PayoutItemStatus), z.int().min(0)),
  created_by: z.string(),
  created_at: instantJson,
  approved_at: instantJson.nullable(),
  approved_by: z.string().nullable(),
  cancelled_at: instantJson.nullable(),
  completed_at: instantJson.nullable(),
});

/** A balance the run leaves unpaid, as stored on the run (minor units as strings). */
const storedHeldBack = z.strictObject({
  distributorId: idJson,
  currency: z.string(),
  balanceMinor: minorJson,
  reason: z.enum(HELD_REASONS),
  minimumMinor: minorJson.optional(),
});

export const payoutItemResponse = z.strictObject({
  id: idJson,
  run_id: idJson,
  distributor_id: idJson,
  method: z.enum(PayoutMethodKind),
  amount: moneySchema,
  status: z.enum(PayoutItemStatus),
  provider_reference: z.string().nullable(),
  attempts: z.int().min(0),
  last_error: z.string().nullable(),
  submitted_at: instantJson.nullable(),
  paid_at: instantJson.nullable(),
  failed_at: instantJson.nullable(),
});

type RunRow = NonNullable<Awaited<ReturnType<typeof findRun>>>;

function findRun(db: Db, shopId: string, id: string) {
  return db.payoutRun.findFirst({ where: { shopId, id } });
}

async function runJson(db: Db, run: RunRow): Promise<z.input<typeof payoutRunResponse>> {
  const counts = await db.payoutItem.groupBy({ by: ["status"], where: { shopId: run.shopId, runId: run.id }, _count: true });
  const progress = Object.fromEntries(Object.values(PayoutItemStatus).map((s) => [s, counts.find((c) => c.status === s)?._count ?? 0])) as Record<
    PayoutItemStatus,
    number
  >;
  const totals = Object.entries(run.totals as Record<string, { items: number; amountMinor: string }>)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cur, t]) => ({ currency: cur, items: t.items, total: moneyJson(BigInt(t.amountMinor), cur) }));
  return {
    id: run.id,
    status: run.status,
    currency: run.currency,
    schedule: run.schedule,
    as_of: run.asOf.toISOString(),
    item_count: run.itemCount,
    totals,
    held_back_count: (run.heldBack as unknown[]).length,
    progress,
    created_by: run.createdBy,
    created_at: run.createdAt.toISOString(),
    approved_at: run.approvedAt?.toISOString() ?? null,
    approved_by: run.approvedBy,
    cancelled_at: run.cancelledAt?.toISOString() ?? null,
    completed_at: run.completedAt?.toISOString() ?? null,
  };
}

export const payoutRunListResponse = z.strictObject({ payout_runs: z.array(payoutRunResponse) });

export async function listPayoutRuns(db: Db, shopId: string, params: URLSearchParams): Promise<z.input<typeof payoutRunListResponse>> {
  const query = parse(payoutRunListQuery, Object.fromEntries(params), "query");
  const runs = await db.payoutRun.findMany({
    where: { shopId, ...(query.status ? { status: query.status } : {}) },
    orderBy: { createdAt: "desc" },
    take: query.limit,
  });
  return { payout_runs: await Promise.all(runs.map((run) => runJson(db, run))) };
}

export const payoutPreviewResponse = z.strictObject({
  as_of: instantJson,
  items: z.array(z.strictObject({ distributor_id: idJson, code: z.string().nullable(), method: z.enum(PayoutMethodKind), amount: moneySchema })),
  held_back: z.array(
    z.strictObject({
      distributor_id: idJson,
      code: z.string().nullable(),
      balance: moneySchema,
      reason: z.enum(HELD_REASONS),
      /** The minimum not reached (below_threshold only). */
      minimum: moneySchema.nullable(),
    }),
  ),
  totals: z.array(currencyTotal),
});

export async function previewJson(db: Db, shopId: string, params: URLSearchParams): Promise<z.input<typeof payoutPreviewResponse>> {
  const query = parse(payoutPreviewQuery, Object.fromEntries(params), "query");
  const preview = await previewPayouts(db, shopId, { currency: query.currency ?? null });
  const code = (id: string) => preview.codes.get(id) ?? null;
  return {
    as_of: preview.asOf.toISOString(),
    items: preview.items.map((item) => ({
      distributor_id: item.distributorId,
      code: code(item.distributorId),
      method: item.method,
      amount: moneyJson(item.amountMinor, item.currency),
    })),
    held_back: preview.heldBack.map((held) => ({
      distributor_id: held.distributorId,
      code: code(held.distributorId),
      balance: moneyJson(held.balanceMinor, held.currency),
      reason: held.reason,
      minimum: held.minimumMinor === undefined ? null : moneyJson(held.minimumMinor, held.currency),
    })),
    totals: Object.entries(preview.totals)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([cur, t]) => ({ currency: cur, items: t.items, total: moneyJson(t.amountMinor, cur) })),
  };
}

export const createdRunResponse = z.strictObject({ payout_run: payoutRunResponse, held_back: z.array(storedHeldBack) });

export function createRunRequest(db: Db, shopId: string, rawBody: unknown, actor: string): Promise<StoredResponse> {
  return asStored(async () => {
    const body = parse(createRunBody, rawBody);
    const { runId } = await createPayoutRun(db, shopId, { currency: body.currency, actor });
    const run = (await findRun(db, shopId, runId))!;
    // Parsed from the run's JSON column: the stored shape is checked, not assumed (a few rows at most).
    return answered(createdRunResponse, 201, { payout_run: await runJson(db, run), held_back: z.array(storedHeldBack).parse(run.heldBack) });
  });
}

export const approvedRunResponse = z.strictObject({
  payout_run: payoutRunResponse,
  outcome: z.enum(["approved", "already_approved"]),
  ledger_transactions: z.int().min(0),
  /** Items cancelled at approval because the balance no longer covers them. */
  cancelled_items: z.int().min(0),
});

export function approveRunRequest(db: Db, shopId: string, id: string | undefined, rawBody: unknown, actor: string): Promise<StoredResponse> {
  return asStored(async () => {
    parse(emptyBody, rawBody);
    const runId = requireId(id);
    const result = await approvePayoutRun(db, shopId, runId, actor);
    if (result.outcome === "approved") await enqueuePayoutRun(shopId, runId);
    const run = (await findRun(db, shopId, runId))!;
    return answered(approvedRunResponse, 200, {
      payout_run: await runJson(db, run),
      outcome: result.outcome,
      ledger_transactions: result.posted,
      cancelled_items: result.cancelled,
    });
  });
}

export const cancelledRunResponse = z.strictObject({ payout_run: payoutRunResponse, cancelled_items: z.int().min(0) });

export function cancelRunRequest(db: Db, shopId: string, id: string | undefined, rawBody: unknown, actor: string): Promise<StoredResponse> {
  return asStored(async () => {
    parse(emptyBody, rawBody);
    const runId = requireId(id);
    const result = await cancelPayoutRun(db, shopId, runId, actor);
    const run = (await findRun(db, shopId, runId))!;
    return answered(cancelledRunResponse, 200, { payout_run: await runJson(db, run), cancelled_items: result.cancelled });
  });
}

export const confirmationResponse = z.strictObject({
  paid: z.int().min(0),
  failed: z.int().min(0),
  /** Rows not applied, by their line in the file. */
  issues: z.array(z.strictObject({ line: z.int().min(1), message: z.string() })),
});

export function confirmationRequest(db: Db, shopId: string, id: string | undefined, rawBody: unknown): Promise<StoredResponse> {
  return asStored(async () => {
    const body = parse(confirmationBody, rawBody);
    const result = await importBankConfirmation(db, shopId, requireId(id), body.csv);
    return answered(confirmationResponse, 200, {
      paid: result.paid,
      failed: result.failed,
      issues: result.issues.map((issue) => ({ line: issue.line, message: issue.message })),
    });
  });
}

export const markPaidResponse = z.strictObject({ item: payoutItemResponse, changed: z.boolean() });

export function markPaidRequest(db: Db, shopId: string, id: string | undefined, rawBody: unknown): Promise<StoredResponse> {
  return asStored(async () => {
    const body = parse(markPaidBody, rawBody);
    const itemId = requireId(id, "payout item");
    const result = await markItemPaid(db, shopId, itemId, body);
    const item = (await db.payoutItem.findFirst({ where: { shopId, id: itemId } }))!;
    return answered(markPaidResponse, 200, { item: itemJson(item), changed: result.moved });
  });
}

/** The method without its details (destinations are never returned). */
export const payoutMethodResponse = z.strictObject({
  payout_method: z.strictObject({
    distributor_id: idJson,
    method: z.enum(PayoutMethodKind),
    on_hold: z.boolean(),
    hold_reason: z.string().nullable(),
    tax_form_status: z.string(),
  }),
});

export function payoutMethodRequest(db: Db, shopId: string, id: string | undefined, rawBody: unknown, actor: string): Promise<StoredResponse> {
  return asStored(async () => {
    const body = parse(payoutMethodBody, rawBody);
    const row = await setPayoutMethod(db, shopId, requireId(id, "distributor"), body, actor);
    const taxFormStatus = await taxFormStatusOf(db, shopId, row.distributorId);
    return answered(payoutMethodResponse, 200, {
      payout_method: {
        distributor_id: row.distributorId,
        method: row.method,
        on_hold: row.onHold,
        hold_reason: row.holdReason,
        tax_form_status: taxFormStatus,
      },
    });
  });
}

export const payoutSettingsResponse = z.strictObject({
  payout_settings: z.strictObject({
    minimum_minor: minorJson,
    /** Per method, minor units as strings. */
    method_minimums: z.record(z.string(), minorJson),
    schedule: z.enum(PayoutSchedule),
    auto_approve: z.boolean(),
  }),
});

export function payoutSettingsRequest(db: Db, shopId: string, rawBody: unknown, actor: string): Promise<StoredResponse> {
  return asStored(async () => {
    const row = await setPayoutSettings(db, shopId, parse(payoutSettingsBody, rawBody), actor);
    return answered(payoutSettingsResponse, 200, { payout_settings: settingsJson(row) });
  });
}

function settingsJson(
  row: { minimumMinor: bigint; methodMinimums: unknown; schedule: PayoutSchedule; autoApprove: boolean } | null,
): z.input<typeof payoutSettingsResponse>["payout_settings"] {
  return {
    minimum_minor: (row?.minimumMinor ?? 0n).toString(),
    method_minimums: (row?.methodMinimums ?? {}) as Record<string, string>,
    schedule: row?.schedule ?? "manual",
    auto_approve: row?.autoApprove ?? false,
  };
}

export async function getPayoutSettings(db: Db, shopId: string): Promise<z.input<typeof payoutSettingsResponse>> {
  return { payout_settings: settingsJson(await db.payoutSettings.findUnique({ where: { shopId } })) };
}

type ItemRow = Awaited<ReturnType<Db["payoutItem"]["findFirstOrThrow"]>>;

function itemJson(item: ItemRow): z.input<typeof payoutItemResponse> {
  return {
    id: item.id,
    run_id: item.runId,
    distributor_id: item.distributorId,
    method: item.method,
    amount: moneyJson(item.amountMinor, item.currency),
    status: item.status,
    provider_reference: item.providerReference,
    attempts: item.attemptCount,
    last_error: item.lastError,
    submitted_at: item.submittedAt?.toISOString() ?? null,
    paid_at: item.paidAt?.toISOString() ?? null,
    failed_at: item.failedAt?.toISOString() ?? null,
  };
}

export const payoutItemListResponse = z.strictObject({ items: z.array(payoutItemResponse), next_after: idJson.nullable() });

export async function runItems(db: Db, shopId: string, id: string | undefined, params: URLSearchParams): Promise<z.input<typeof payoutItemListResponse>> {
  const runId = requireId(id);
  const query = parse(payoutItemsQuery, Object.fromEntries(params), "query");
  if (!(await findRun(db, shopId, runId))) throw requireId(undefined);
  const items = await db.payoutItem.findMany({
    where: { shopId, runId, ...(query.status ? { status: query.status } : {}), ...(query.after ? { id: { gt: query.after } } : {}) },
    orderBy: { id: "asc" },
    take: query.limit,
  });
  return { items: items.map(itemJson), next_after: items.length === query.limit ? items[items.length - 1]!.id : null };
}

export const distributorPayoutsResponse = z.strictObject({
  payout_method: z.strictObject({ method: z.enum(PayoutMethodKind), on_hold: z.boolean(), tax_form_status: z.string() }).nullable(),
  tax_form_status: z.string(),
  items: z.array(payoutItemResponse),
});

export async function distributorPayouts(
  db: Db,
  shopId: string,
  id: string | undefined,
  params: URLSearchParams,
): Promise<z.input<typeof distributorPayoutsResponse>> {
  const distributorId = requireId(id, "distributor");
  const query = parse(distributorPayoutsQuery, Object.fromEntries(params), "query");
  if (!(await db.distributor.findFirst({ where: { shopId, id: distributorId }, select: { id: true } }))) throw requireId(undefined, "distributor");
  const [items, method] = await Promise.all([
    db.payoutItem.findMany({ where: { shopId, distributorId }, orderBy: { createdAt: "desc" }, take: query.limit }),
    db.payoutMethod.findUnique({ where: { shopId_distributorId: { shopId, distributorId } }, select: { method: true, onHold: true } }),
  ]);
  const taxFormStatus = await taxFormStatusOf(db, shopId, distributorId);
  return {
    payout_method: method ? { method: method.method, on_hold: method.onHold, tax_form_status: taxFormStatus } : null,
    tax_form_status: taxFormStatus,
    items: items.map(itemJson),
  };
}

export { taxFormBody };

export function taxFormRequest(db: Db, shopId: string, id: string | undefined, rawBody: unknown, actor: string): Promise<StoredResponse> {
  return asStored(async () => {
    const body = parse(taxFormBody, rawBody);
    const result = await setTaxFormStatus(db, shopId, requireId(id, "distributor"), body.status, actor);
    return { status: 200, body: { tax_form: { distributor_id: result.distributorId, status: result.status, updated_at: result.updatedAt.toISOString() } } };
  });
}
