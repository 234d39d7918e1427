/**
 * The paycut (plan rules `paycut`, a global cap on what a period pays; cf. the "Paycut" of
 * docs.be-infinity.com/compensation-plan/business-logic/bonus/binary-bonus/paycut): when the period's
 * commissions exceed maxPercent of its commissionable sales, the excess is taken back from everyone in
 * proportion to what they earned in the period.
 *
 *   allowed   ⌊sales × maxPercent⌋ (rounded toward zero, so the plan never pays above its cap)
 *   total     per-order earnings of the period (net of reversals) + this close's lines
 *   cut       total − allowed, when positive
 *   shares    THE RULE: largest remainder (money.ts allocateProportionally) over each recipient's positive
 *             period total: every share is floored, and the cents left go one each to the largest remainders
 *             (ties to the lowest distributor id), so the shares add up to the cut exactly and the period pays
 *             exactly `allowed`.
 * Each share is a negative period line (kind and rule "paycut"): posted as a new ledger entry that takes the
 * amount back, never as a change to what was posted for the orders.
 */
import { allocateProportionally } from "../money";
import { percentToRatio } from "../engine/decimal";
import { compareIds } from "../genealogy/tree";
import type { PeriodLine } from "./types";

export const PAYCUT_RULE = "paycut";

export function paycutLines(input: {
  readonly maxPercent: string;
  readonly salesBaseMinor: bigint;
  readonly currency: string;
  readonly earnings: readonly { readonly distributorId: string; readonly amountMinor: bigint }[];
  readonly lines: readonly PeriodLine[];
}): PeriodLine[] {
  const ratio = percentToRatio(input.maxPercent);
  const allowed = (input.salesBaseMinor * ratio.numerator) / ratio.denominator;
  const earned = new Map<string, bigint>();
  const add = (id: string, amount: bigint) => earned.set(id, (earned.get(id) ?? 0n) + amount);
  for (const earning of input.earnings) add(earning.distributorId, earning.amountMinor);
  for (const line of input.lines) add(line.distributorId, line.amountMinor);
  const total = [...earned.values()].reduce((sum, amount) => sum + amount, 0n);
  if (total <= allowed) return [];
  const recipients = [...earned.keys()].filter((id) => earned.get(id)! > 0n).sort(compareIds);
  const shares = allocateProportionally(
    total - allowed,
    recipients.map((id) => earned.get(id)!),
  );
  return recipients.flatMap((distributorId, index) =>
    shares[index]! > 0n
      ? [
          {
            distributorId,
            amountMinor: -shares[index]!,
            currency: input.currency,
            kind: "paycut" as const,
            rule: PAYCUT_RULE,
            detail: { type: "paycut" as const, maxPercent: input.maxPercent, earnedMinor: earned.get(distributorId)!, salesBaseMinor: input.salesBaseMinor },
          },
        ]
      : [],
  );
}
