/**
 * Period inputs derived from per-order evaluations: the personal volume each order adds, and the per-order
 * commissions each distributor earned. The what-if uses them directly; the services can use the same rules
 * when they fill PeriodVolume.
 */
import type { EvaluationResult } from "../engine";
import type { PeriodEarning, PersonalVolume } from "./types";

/** Whose personal volume an order is: the buying distributor's, else the attributed distributor's (their sale). */
export function volumeOwner(buyerId: string | null | undefined, evaluation: Pick<EvaluationResult, "snapshot">): string | null {
  return buyerId ?? evaluation.snapshot.upline[0]?.distributorId ?? null;
}

export function volumesFromEvaluations(evaluations: readonly { owner: string | null; evaluation: EvaluationResult }[]): PersonalVolume[] {
  const sums = new Map<string, { pv: bigint; cv: bigint }>();
  for (const { owner, evaluation } of evaluations) {
    if (owner === null) continue;
    const sum = sums.get(owner) ?? { pv: 0n, cv: 0n };
    sum.pv += evaluation.totals.pvHundredths;
    sum.cv += evaluation.totals.cvHundredths;
    sums.set(owner, sum);
  }
  return [...sums].map(([distributorId, sum]) => ({ distributorId, pvHundredths: sum.pv, cvHundredths: sum.cv }));
}

export function earningsFromEvaluations(evaluations: readonly EvaluationResult[]): PeriodEarning[] {
  const sums = new Map<string, PeriodEarning>();
  for (const evaluation of evaluations) {
    for (const line of evaluation.lines) {
      const key = `${line.distributorId}\u0000${line.rule}\u0000${line.currency}`;
      const sum = sums.get(key);
      sums.set(key, { distributorId: line.distributorId, rule: line.rule, currency: line.currency, amountMinor: (sum?.amountMinor ?? 0n) + line.amountMinor });
    }
  }
  return [...sums.values()];
}
