/**
 * Executes an approved run item by item, exactly once per item however often it runs and wherever it stops:
 *
 *   1. the run moves approved → executing (guarded UPDATE; a cancelled run never starts);
 *   2. the intent is recorded: each open item becomes `submitted` with attemptCount + 1, committed BEFORE the
 *      provider is called, so after a crash we know the outcome is unknown rather than "never sent";
 *   3. the provider is called with keys derived from the item ids (it pays at most once per key and on a
 *      repeat reports the first result);
 *   4. each answer is applied with a guarded UPDATE and its ledger step in one transaction (item-ledger).
 *
 * A worker killed between 3 and 4 leaves items `submitted`: the next run of the job repeats 3, which re-asks
 * the provider instead of paying again, and 4 then posts once. Items the provider has not finished stay
 * open, and the run completes once none is.
 */
import type { Db } from "~/db.server";
import type { ProviderState } from "~/domain/payouts";
import { logger } from "~/logger.server";
import { applyItemEvent } from "./item-ledger.server";
import { PAYOUT_TRANSACTION } from "./runs.server";
import { ProviderUnavailableError, type ProviderItem, type ProviderOutcome, type Providers } from "./providers/types";

export interface ExecuteHooks {
  /** Test seam: runs after the provider answered and before anything is recorded (a crash there). */
  readonly afterProviderCall?: (method: string, outcomes: readonly ProviderOutcome[]) => void | Promise<void>;
}

export interface ExecuteResult {
  readonly status: string;
  /** Items still waiting for a provider that can be polled (the worker asks again later). */
  readonly awaitingProvider: number;
  /** Items waiting for an out-of-band confirmation (bank file) or a provider that is not configured. */
  readonly awaitingConfirmation: number;
}

export async function executePayoutRun(db: Db, shopId: string, runId: string, providers: Providers, hooks: ExecuteHooks = {}): Promise<ExecuteResult> {
  await db.$executeRaw`
    UPDATE "PayoutRun" SET "status" = 'executing', "updatedAt" = now()
    WHERE "shopId" = ${shopId}::uuid AND "id" = ${runId}::uuid AND "status" = 'approved'`;
  const run = await db.payoutRun.findFirst({ where: { shopId, id: runId }, select: { id: true, status: true, shop: { select: { domain: true } } } });
  if (!run || run.status !== "executing") return { status: run?.status ?? "unknown", awaitingProvider: 0, awaitingConfirmation: 0 };

  const open = await db.payoutItem.findMany({
    where: { shopId, runId, status: { in: ["pending", "submitted"] } },
    orderBy: { id: "asc" },
    select: {
      id: true,
      distributorId: true,
      method: true,
      amountMinor: true,
      currency: true,
      destination: true,
      status: true,
      attemptCount: true,
      submittedAt: true,
      providerReference: true,
      providerBatch: true,
      providerBatchRef: true,
    },
  });
  const byMethod = new Map<string, typeof open>();
  for (const item of open) byMethod.set(item.method, [...(byMethod.get(item.method) ?? []), item]);

  let unavailable: ProviderUnavailableError | null = null;
  for (const [method, items] of byMethod) {
    const provider = providers[method as keyof Providers];
    if (!provider) {
      await noteError(
        db,
        shopId,
        items.map((i) => i.id),
        `no ${method} payout provider is configured`,
      );
      continue;
    }
    if (!provider.polls && items.every((item) => item.status === "submitted")) continue;
    await recordIntent(
      db,
      shopId,
      items.map((item) => item.id),
    );
    const asked: ProviderItem[] = items.map((item) => ({
      ...item,
      status: "submitted" as const,
      attemptCount: item.attemptCount + 1,
      submittedAt: item.submittedAt ?? new Date(),
      destination: (item.destination ?? {}) as Record<string, unknown>,
    }));
    let outcomes: readonly ProviderOutcome[];
    try {
      outcomes = await provider.pay({ id: runId, shopId, shopDomain: run.shop.domain }, asked);
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) throw error;
      unavailable = error;
      outcomes = error.outcomes;
      const answered = new Set(outcomes.map((o) => o.itemId));
      await noteError(
        db,
        shopId,
        items.filter((i) => !answered.has(i.id)).map((i) => i.id),
        error.message,
      );
    }
    await hooks.afterProviderCall?.(method, outcomes);
    await applyOutcomes(db, shopId, outcomes);
  }
  const status = await completeIfDone(db, shopId, runId);
  const left = await db.payoutItem.groupBy({ by: ["method"], where: { shopId, runId, status: { in: ["pending", "submitted"] } }, _count: true });
  let awaitingProvider = 0;
  let awaitingConfirmation = 0;
  for (const row of left) {
    if (providers[row.method]?.polls) awaitingProvider += row._count;
    else awaitingConfirmation += row._count;
  }
  if (unavailable) {
    logger.warn({ runId, err: unavailable.message }, "payout provider unavailable; the run is retried with the same keys");
    throw unavailable;
  }
  return { status, awaitingProvider, awaitingConfirmation };
}

async function recordIntent(db: Db, shopId: string, ids: readonly string[]) {
  await db.$executeRaw`
    UPDATE "PayoutItem" SET "status" = 'submitted', "attemptCount" = "attemptCount" + 1, "submittedAt" = COALESCE("submittedAt", now()), "updatedAt" = now()
    WHERE "shopId" = ${shopId}::uuid AND "id" = ANY(${[...ids]}::uuid[]) AND "status" IN ('pending', 'submitted')`;
}

async function noteError(db: Db, shopId: string, ids: readonly string[], message: string) {
  if (ids.length === 0) return;
  await db.$executeRaw`
    UPDATE "PayoutItem" SET "lastError" = ${message}, "updatedAt" = now()
    WHERE "shopId" = ${shopId}::uuid AND "id" = ANY(${[...ids]}::uuid[])`;
}

export async function applyOutcomes(db: Db, shopId: string, outcomes: readonly ProviderOutcome[]) {
  const byState = new Map<ProviderState, ProviderOutcome[]>();
  for (const outcome of outcomes) byState.set(outcome.state, [...(byState.get(outcome.state) ?? []), outcome]);
  await db.$transaction(async (tx) => {
    for (const [state, group] of byState) {
      await applyItemEvent(
        tx,
        shopId,
        state,
        group.map((o) => ({ itemId: o.itemId, reference: o.reference ?? null, batchRef: o.batchRef ?? null, error: o.error ?? null })),
      );
    }
  }, PAYOUT_TRANSACTION);
}

export async function completeIfDone(db: Db, shopId: string, runId: string): Promise<string> {
  const [row] = await db.$queryRaw<{ status: string }[]>`
    UPDATE "PayoutRun" r SET "status" = 'completed', "completedAt" = now(), "updatedAt" = now()
    WHERE r."shopId" = ${shopId}::uuid AND r."id" = ${runId}::uuid AND r."status" = 'executing'
      AND NOT EXISTS (SELECT 1 FROM "PayoutItem" i WHERE i."runId" = r."id" AND i."status" IN ('pending', 'submitted'))
    RETURNING r."status"::text AS status`;
  if (row) return row.status;
  return (await db.payoutRun.findFirstOrThrow({ where: { shopId, id: runId }, select: { status: true } })).status;
}
