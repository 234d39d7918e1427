/**
 * The admin's Payouts page: the runs with their status and totals per currency, the preview of the next run
 * (who would be paid, who is held back and why), the selected run's items with their status, and the actions
 * a merchant takes by hand — create a draft, approve, cancel, retry a failed item, mark a bank item paid.
 * Every action goes through the services the REST API uses (app/services/payouts), so the page can do nothing
 * the API could not, and the ledger rules hold the same way.
 */
import { z } from "zod";
import { formatMinor } from "~/domain/money";
import type { Db } from "~/db.server";
import { markItemPaid } from "~/services/payouts/confirm.server";
import { PayoutServiceError } from "~/services/payouts/errors.server";
import { retryFailedItem, retryKey } from "~/services/payouts/item-retry.server";
import { previewPayouts } from "~/services/payouts/preview.server";
import { enqueuePayoutRun } from "~/services/payouts/queue.server";
import { approvePayoutRun, cancelPayoutRun, createPayoutRun } from "~/services/payouts/runs.server";

export const HELD_REASON_LABELS: Record<string, string> = {
  negative_balance: "Negative balance (a clawback is being paid off)",
  status_not_active: "Distributor not active",
  no_payout_method: "No payout method",
  on_hold: "Payouts on hold",
  below_threshold: "Below the minimum payout",
};

const RUNS_SHOWN = 20;
const ITEMS_SHOWN = 200;
const HELD_SHOWN = 100;

export interface MoneyView {
  readonly currency: string;
  readonly items: number;
  /** Decimal text in the currency ("1234.50"). */
  readonly total: string;
}

export interface RunRowView {
  readonly id: string;
  readonly status: string;
  readonly createdAt: string;
  readonly itemCount: number;
  readonly totals: readonly MoneyView[];
  /** The failed item this run retries, when it is a retry. */
  readonly retryOf: string | null;
}

export interface HeldView {
  readonly code: string;
  readonly currency: string;
  readonly balance: string;
  readonly reason: string;
  readonly reasonLabel: string;
  readonly minimum: string | null;
}

export interface ItemView {
  readonly id: string;
  readonly code: string;
  readonly method: string;
  readonly amount: string;
  readonly currency: string;
  readonly status: string;
  readonly lastError: string | null;
  readonly attempts: number;
  /** The run that retried this item, if any. */
  readonly retryRunId: string | null;
}

export interface RunDetailView extends RunRowView {
  readonly items: readonly ItemView[];
  readonly heldBack: readonly HeldView[];
  readonly heldBackCount: number;
  readonly progress: {
    readonly total: number;
    readonly finished: number;
    readonly paid: number;
    readonly failed: number;
    readonly open: number;
    readonly openBank: number;
  };
  readonly hasBankFile: boolean;
}

export interface PreviewView {
  readonly items: number;
  readonly totals: readonly MoneyView[];
  readonly heldBack: readonly HeldView[];
  readonly heldBackCount: number;
}

export interface PayoutsOverview {
  readonly runs: readonly RunRowView[];
  readonly selected: RunDetailView | null;
  readonly preview: PreviewView;
}

type StoredTotals = Record<string, { items: number; amountMinor: string }>;
type StoredHeld = { distributorId: string; currency: string; balanceMinor: string; reason: string; minimumMinor?: string };

function totalsView(totals: StoredTotals): MoneyView[] {
  return Object.entries(totals)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, t]) => ({ currency, items: t.items, total: formatMinor(BigInt(t.amountMinor), currency) }));
}

function heldView(held: StoredHeld, code: string): HeldView {
  return {
    code,
    currency: held.currency,
    balance: formatMinor(BigInt(held.balanceMinor), held.currency),
    reason: held.reason,
    reasonLabel: HELD_REASON_LABELS[held.reason] ?? held.reason,
    minimum: held.minimumMinor === undefined ? null : formatMinor(BigInt(held.minimumMinor), held.currency),
  };
}

async function codesOf(db: Db, shopId: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.distributor.findMany({ where: { shopId, id: { in: [...new Set(ids)] } }, select: { id: true, code: true } });
  return new Map(rows.map((row) => [row.id, row.code]));
}

type RunRecord = { id: string; status: string; createdAt: Date; itemCount: number; totals: unknown; scheduleKey: string | null; heldBack: unknown };

function runRow(run: RunRecord): RunRowView {
  return {
    id: run.id,
    status: run.status,
    createdAt: run.createdAt.toISOString(),
    itemCount: run.itemCount,
    totals: totalsView(run.totals as StoredTotals),
    retryOf: run.scheduleKey?.startsWith("retry:") ? run.scheduleKey.slice("retry:".length) : null,
  };
}

async function runDetail(db: Db, shopId: string, run: RunRecord): Promise<RunDetailView> {
  const [items, counts] = await Promise.all([
    db.payoutItem.findMany({
      where: { shopId, runId: run.id },
      orderBy: { id: "asc" },
      take: ITEMS_SHOWN,
      select: { id: true, distributorId: true, method: true, amountMinor: true, currency: true, status: true, lastError: true, attemptCount: true },
    }),
    db.payoutItem.groupBy({ by: ["status", "method"], where: { shopId, runId: run.id }, _count: true }),
  ]);
  const held = run.heldBack as StoredHeld[];
  const shownHeld = held.slice(0, HELD_SHOWN);
  const codes = await codesOf(db, shopId, [...items.map((i) => i.distributorId), ...shownHeld.map((h) => h.distributorId)]);
  const retries = await db.payoutRun.findMany({
    where: { shopId, scheduleKey: { in: items.filter((i) => i.status === "failed" || i.status === "returned").map((i) => retryKey(i.id)) } },
    select: { id: true, scheduleKey: true },
  });
  const retryOf = new Map(retries.map((r) => [r.scheduleKey!.slice("retry:".length), r.id]));
  const count = (statuses: readonly string[], method?: string) =>
    counts.filter((c) => statuses.includes(c.status) && (method === undefined || c.method === method)).reduce((sum, c) => sum + c._count, 0);
  const total = count(["pending", "submitted", "paid", "failed", "returned", "cancelled"]);
  return {
    ...runRow(run),
    items: items.map((item) => ({
      id: item.id,
      code: codes.get(item.distributorId) ?? item.distributorId,
      method: item.method,
      amount: formatMinor(item.amountMinor, item.currency),
      currency: item.currency,
      status: item.status,
      lastError: item.lastError,
      attempts: item.attemptCount,
      retryRunId: retryOf.get(item.id) ?? null,
    })),
    heldBack: shownHeld.map((h) => heldView(h, codes.get(h.distributorId) ?? h.distributorId)),
    heldBackCount: held.length,
    progress: {
      total,
      finished: count(["paid", "failed", "returned", "cancelled"]),
      paid: count(["paid"]),
      failed: count(["failed", "returned"]),
      open: count(["pending", "submitted"]),
      openBank: count(["pending", "submitted"], "bank"),
    },
    hasBankFile: run.status !== "draft" && run.status !== "cancelled" && count(["pending", "submitted", "paid"], "bank") > 0,
  };
}

async function previewView(db: Db, shopId: string): Promise<PreviewView> {
  const preview = await previewPayouts(db, shopId);
  const totals = Object.fromEntries(Object.entries(preview.totals).map(([cur, t]) => [cur, { items: t.items, amountMinor: t.amountMinor.toString() }]));
  return {
    items: preview.items.length,
    totals: totalsView(totals),
    heldBack: preview.heldBack.slice(0, HELD_SHOWN).map((h) =>
      heldView(
        {
          distributorId: h.distributorId,
          currency: h.currency,
          balanceMinor: h.balanceMinor.toString(),
          reason: h.reason,
          ...(h.minimumMinor === undefined ? {} : { minimumMinor: h.minimumMinor.toString() }),
        },
        preview.codes.get(h.distributorId) ?? h.distributorId,
      ),
    ),
    heldBackCount: preview.heldBack.length,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `selectedRunId`: the run to show in detail (default: the newest). */
export async function payoutsOverview(db: Db, shopId: string, selectedRunId: string | null): Promise<PayoutsOverview> {
  const select = { id: true, status: true, createdAt: true, itemCount: true, totals: true, scheduleKey: true, heldBack: true } as const;
  const [runs, preview] = await Promise.all([
    db.payoutRun.findMany({ where: { shopId }, orderBy: { createdAt: "desc" }, take: RUNS_SHOWN, select }),
    previewView(db, shopId),
  ]);
  const wanted = selectedRunId && UUID.test(selectedRunId) ? selectedRunId : null;
  const chosen = wanted ? (runs.find((r) => r.id === wanted) ?? (await db.payoutRun.findFirst({ where: { shopId, id: wanted }, select }))) : runs[0];
  return { runs: runs.map(runRow), selected: chosen ? await runDetail(db, shopId, chosen) : null, preview };
}

export type PayoutActionOutcome =
  { readonly ok: true; readonly message: string; readonly runId: string | null } | { readonly ok: false; readonly error: string };

const actionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create") }),
  z.object({ intent: z.literal("approve"), runId: z.uuid() }),
  z.object({ intent: z.literal("cancel"), runId: z.uuid() }),
  z.object({ intent: z.literal("retry"), itemId: z.uuid() }),
  z.object({ intent: z.literal("mark_paid"), itemId: z.uuid() }),
]);

export async function payoutAction(db: Db, shopId: string, form: FormData, actor: string): Promise<PayoutActionOutcome> {
  const parsed = actionForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, error: "Unknown action." };
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "create": {
        const { runId } = await createPayoutRun(db, shopId, { actor });
        const run = await db.payoutRun.findFirstOrThrow({ where: { shopId, id: runId }, select: { itemCount: true } });
        return {
          ok: true,
          runId,
          message:
            run.itemCount === 0 ? "Draft run created with no items: every balance is held back." : `Draft run created: ${run.itemCount} items to approve.`,
        };
      }
      case "approve": {
        const result = await approvePayoutRun(db, shopId, input.runId, actor);
        if (result.outcome === "approved") await enqueuePayoutRun(shopId, input.runId);
        const undercut = result.cancelled > 0 ? ` ${result.cancelled} cancelled: a clawback lowered the balance since the preview.` : "";
        return {
          ok: true,
          runId: input.runId,
          message: result.outcome === "approved" ? `Run approved: paying ${result.posted} items.${undercut}` : "The run was already approved.",
        };
      }
      case "cancel": {
        const result = await cancelPayoutRun(db, shopId, input.runId, actor);
        return { ok: true, runId: input.runId, message: `Run cancelled: ${result.cancelled} items cancelled, balances restored.` };
      }
      case "retry": {
        const { runId, created } = await retryFailedItem(db, shopId, input.itemId, actor);
        await enqueuePayoutRun(shopId, runId);
        return { ok: true, runId, message: created ? "Retry approved: a new run pays this item." : "This item was retried already: showing that run." };
      }
      case "mark_paid": {
        const { moved } = await markItemPaid(db, shopId, input.itemId, { outcome: "paid" });
        const item = await db.payoutItem.findFirstOrThrow({ where: { shopId, id: input.itemId }, select: { runId: true } });
        return { ok: true, runId: item.runId, message: moved ? "Item marked paid." : "The item was already paid." };
      }
    }
  } catch (error) {
    if (error instanceof PayoutServiceError) return { ok: false, error: error.message };
    throw error;
  }
}
