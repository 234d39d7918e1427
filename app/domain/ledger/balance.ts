/**
 * The double-entry invariant: the postings of one transaction sum to zero in every currency. Checked by every
 * builder before it returns, and available to the DB writer to check again right before it inserts.
 */
import type { CurrencyCode } from "../money";

export interface PostingLike {
  readonly account: string;
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
}

export class UnbalancedTransactionError extends Error {
  override name = "UnbalancedTransactionError";
  constructor(readonly imbalances: ReadonlyMap<CurrencyCode, bigint>) {
    super(`postings do not sum to zero: ${[...imbalances].map(([currency, sum]) => `${currency} ${sum.toString()}`).join(", ")}`);
  }
}

/** Sum of postings per currency, in first-seen currency order. */
export function sumByCurrency(postings: readonly PostingLike[]): Map<CurrencyCode, bigint> {
  const sums = new Map<CurrencyCode, bigint>();
  for (const posting of postings) sums.set(posting.currency, (sums.get(posting.currency) ?? 0n) + posting.amountMinor);
  return sums;
}

export function isBalanced(postings: readonly PostingLike[]): boolean {
  for (const sum of sumByCurrency(postings).values()) if (sum !== 0n) return false;
  return true;
}

export function assertBalanced(postings: readonly PostingLike[]): void {
  const imbalances = new Map([...sumByCurrency(postings)].filter(([, sum]) => sum !== 0n));
  if (imbalances.size > 0) throw new UnbalancedTransactionError(imbalances);
}
