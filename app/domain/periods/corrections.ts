/**
 * Re-opening a closed period never edits what was posted: the period is closed again (same input with the
 * fixes, e.g. a late refund or a corrected tree) and the difference per (rule, recipient) between the new
 * totals and the posted ones becomes correction transactions, keyed by the re-open's revision so each
 * re-open posts once. Posting the corrections of revision n on top of everything posted before leaves every
 * (rule, recipient) at exactly the new close's amount.
 */
import { periodCorrectionKey } from "./keys";
import type { PeriodCloseResult, PeriodLineTotal } from "./types";

export interface PeriodCorrectionInput {
  /** What the ledger holds for the period per (rule, recipient): the original close plus earlier corrections. */
  readonly posted: readonly Pick<PeriodLineTotal, "rule" | "kind" | "distributorId" | "amountMinor" | "currency">[];
  readonly recomputed: Pick<PeriodCloseResult, "period" | "totals" | "currency">;
  /** 1 for the first re-open of the period, 2 for the next… */
  readonly revision: number;
}

export function periodCorrections({ posted, recomputed, revision }: PeriodCorrectionInput): PeriodLineTotal[] {
  if (!Number.isSafeInteger(revision) || revision < 1) throw new RangeError("revision must be a whole number ≥ 1");
  const byKey = new Map<string, { rule: string; kind: PeriodLineTotal["kind"]; distributorId: string; currency: string; was: bigint; now: bigint }>();
  const keyOf = (row: { rule: string; distributorId: string; currency: string }) => `${row.rule}\u0000${row.distributorId}\u0000${row.currency}`;
  for (const row of posted) {
    const entry = byKey.get(keyOf(row)) ?? { ...pick(row), was: 0n, now: 0n };
    entry.was += row.amountMinor;
    byKey.set(keyOf(row), entry);
  }
  for (const row of recomputed.totals) {
    const entry = byKey.get(keyOf(row)) ?? { ...pick(row), was: 0n, now: 0n };
    entry.now += row.amountMinor;
    byKey.set(keyOf(row), entry);
  }
  const corrections: PeriodLineTotal[] = [];
  for (const entry of byKey.values()) {
    const delta = entry.now - entry.was;
    if (delta === 0n) continue;
    corrections.push({
      idempotencyKey: periodCorrectionKey(recomputed.period.key, revision, entry.rule, entry.distributorId),
      rule: entry.rule,
      kind: entry.kind,
      distributorId: entry.distributorId,
      amountMinor: delta,
      currency: entry.currency,
    });
  }
  return corrections.sort((a, b) => (a.idempotencyKey < b.idempotencyKey ? -1 : a.idempotencyKey > b.idempotencyKey ? 1 : 0));
}

function pick(row: { rule: string; kind: PeriodLineTotal["kind"]; distributorId: string; currency: string }) {
  return { rule: row.rule, kind: row.kind, distributorId: row.distributorId, currency: row.currency };
}
