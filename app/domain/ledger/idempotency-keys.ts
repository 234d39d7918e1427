/**
 * Deterministic idempotency keys for ledger transactions: the same business event always produces the same
 * key, so a retried job or a duplicate webhook inserts nothing new (unique index on the key). Ids are internal
 * order ids (unique across shops) and platform refund ids scoped by that order.
 */
import { joinKey } from "../engine/entry-key";

export function commissionKey(orderId: string, rule: string, distributorId: string): string {
  return joinKey(["commission", orderId, rule, distributorId]);
}

export function reversalKey(orderId: string, refundId: string, rule: string, distributorId: string): string {
  return joinKey(["reversal", orderId, refundId, rule, distributorId]);
}

export function holdReleaseKey(orderId: string, rule: string, distributorId: string): string {
  return joinKey(["release", orderId, rule, distributorId]);
}
