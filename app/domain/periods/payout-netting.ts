/**
 * Payout decisions: what a close decides each distributor is paid, netting everything carried.
 *
 * A DECISION is made once per (close of a schedule, distributor, currency). It looks at one number, the payable:
 *
 *   payable = carried in + earned
 *   carried in  the balance brought forward from the previous decision of the same schedule and currency: what it
 *               did not pay (a balance below the minimum, > 0; or a debt, < 0), plus every wallet movement since
 *               that no decision has counted yet: clawbacks, i.e. refunds recorded in this period of orders of
 *               EARLIER periods, whose commissions an earlier decision already counted (and may have paid)
 *   earned      this period's per-order commissions net of this period's own refunds of them, plus the close's
 *               period lines (after the plan's payout-share cap, which limits what the plan pays on the period's
 *               sales and is not a decision about anyone's balance)
 *
 * and decides:
 *   payable ≥ minimum payout (and > 0)   "pay"         everything payable is paid; nothing is carried
 *   0 < payable < minimum                 "defer"       nothing is paid; the payable is carried
 *   payable ≤ 0                           "carry_debt"  nothing is paid; the debt (or zero) is carried
 *
 * so a debt is worked off by the next earnings before anything is paid, and nothing is ever lost or counted twice:
 * over any run of decisions, Σ paid + last carried out = first carried in + Σ earned. Currencies never mix (each
 * has its own carried balance and minimum), and neither do schedules (the caller passes one schedule's carry).
 *
 * Pure: the payout runs that move the money later take these decisions as they are.
 */
export interface CurrencyAmount {
  readonly distributorId: string;
  readonly currency: string;
  /** Minor units of `currency`; negative for a debt or a clawback. */
  readonly amountMinor: bigint;
}

export type PayoutDecisionKind = "pay" | "defer" | "carry_debt";

export interface NettedPayout {
  readonly distributorId: string;
  readonly currency: string;
  readonly carriedInMinor: bigint;
  readonly earnedMinor: bigint;
  /** carriedIn + earned. */
  readonly payableMinor: bigint;
  readonly decision: PayoutDecisionKind;
  /** payable when "pay", else 0. */
  readonly paidMinor: bigint;
  /** What the next decision of the schedule takes as carried in: payable − paid. */
  readonly carriedOutMinor: bigint;
}

export interface NettingInput {
  /** The balance brought forward per (distributor, currency); several rows of one pair add up. */
  readonly carried: readonly CurrencyAmount[];
  /** This period's earnings per (distributor, currency); several rows of one pair add up. */
  readonly earned: readonly CurrencyAmount[];
  /** The minimum payout in minor units of `currency` (0: none). */
  readonly minimumFor: (currency: string) => bigint;
}

/** One decision per (distributor, currency) that had anything carried or earned, sorted by currency then id. */
export function netPayouts(input: NettingInput): NettedPayout[] {
  const sums = new Map<string, { distributorId: string; currency: string; carried: bigint; earned: bigint }>();
  const entry = (row: CurrencyAmount) => {
    const key = `${row.currency}\u0000${row.distributorId}`;
    let sum = sums.get(key);
    if (!sum) sums.set(key, (sum = { distributorId: row.distributorId, currency: row.currency, carried: 0n, earned: 0n }));
    return sum;
  };
  for (const row of input.carried) entry(row).carried += row.amountMinor;
  for (const row of input.earned) entry(row).earned += row.amountMinor;

  return [...sums.keys()].sort().flatMap((key) => {
    const { distributorId, currency, carried, earned } = sums.get(key)!;
    if (carried === 0n && earned === 0n) return [];
    const payableMinor = carried + earned;
    const minimum = input.minimumFor(currency);
    const decision: PayoutDecisionKind = payableMinor <= 0n ? "carry_debt" : payableMinor >= minimum ? "pay" : "defer";
    const paidMinor = decision === "pay" ? payableMinor : 0n;
    return [
      { distributorId, currency, carriedInMinor: carried, earnedMinor: earned, payableMinor, decision, paidMinor, carriedOutMinor: payableMinor - paidMinor },
    ];
  });
}
