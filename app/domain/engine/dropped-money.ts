/**
 * Money an order's evaluation did not pay because a plan amount was in another currency than the order
 * (`rate_currency_mismatch`: a fixed-per-unit or per-order rate in USD on a EUR order). The flag says where; this
 * says how much, in the rate's own currency (amounts are never converted): the evaluation is replayed as if
 * every plan amount were in the order's currency, and what that pays to distributors on the flagged
 * (rule, line, level) is what was dropped. Reconciliation counts it as expected and unpaid, so a day with
 * dropped money never reads "delta 0".
 */
import { evaluate } from "./evaluate";
import { joinKey } from "./entry-key";
import { inputFromSnapshot } from "./snapshot";
import type { EvaluationResult } from "./types";

export interface DroppedAmount {
  readonly orderId: string;
  readonly reason: "rate_currency_mismatch";
  readonly rule: string;
  readonly orderLineId: string;
  readonly level: number;
  /** The plan amount's currency, not the order's. */
  readonly currency: string;
  readonly amountMinor: bigint;
}

export function droppedByCurrencyMismatch(evaluation: Pick<EvaluationResult, "orderId" | "flags" | "snapshot">): DroppedAmount[] {
  const flagged = evaluation.flags.filter((flag) => flag.type === "rate_currency_mismatch");
  if (flagged.length === 0) return [];
  const input = inputFromSnapshot(evaluation.snapshot);
  const asIfSameCurrency = evaluate({
    ...input,
    planVersion: { ...input.planVersion, rules: withCurrency(input.planVersion.rules, input.order.currency) as typeof input.planVersion.rules },
  });
  const paid = new Map<string, bigint>();
  for (const line of asIfSameCurrency.lines) {
    const key = joinKey([line.rule, line.orderLineId, line.level]);
    paid.set(key, (paid.get(key) ?? 0n) + line.amountMinor);
  }
  const dropped: DroppedAmount[] = [];
  for (const flag of flagged) {
    const amountMinor = paid.get(joinKey([flag.rule, flag.orderLineId, flag.level])) ?? 0n;
    // A level that would have gone to breakage anyway (no upline, not qualified, the company node) dropped nothing.
    if (amountMinor === 0n) continue;
    dropped.push({
      orderId: evaluation.orderId,
      reason: flag.type,
      rule: flag.rule,
      orderLineId: flag.orderLineId,
      level: flag.level,
      currency: flag.rateCurrency,
      amountMinor,
    });
  }
  return dropped;
}

/** The plan with every `currency` it names replaced by `currency` (plan JSON is plain data). */
function withCurrency(value: unknown, currency: string): unknown {
  if (Array.isArray(value)) return value.map((item) => withCurrency(item, currency));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, key === "currency" && typeof item === "string" ? currency : withCurrency(item, currency)]),
  );
}
