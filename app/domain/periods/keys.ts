/**
 * Deterministic idempotency keys of period-close transactions: one per (period, rule, recipient), so closing
 * the same period again inserts nothing new (the ledger's unique (shopId, idempotencyKey)). A re-opened period
 * posts corrections under keys that also carry the re-open's revision number, never edits.
 */
import { joinKey } from "../engine/entry-key";

export function periodLineKey(periodKey: string, rule: string, distributorId: string): string {
  return joinKey(["period", periodKey, rule, distributorId]);
}

export function periodCorrectionKey(periodKey: string, revision: number, rule: string, distributorId: string): string {
  return joinKey(["period-correction", periodKey, revision, rule, distributorId]);
}
