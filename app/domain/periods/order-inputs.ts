/**
 * What a period's orders and refunds feed the close, from their stored evaluations (never recomputed). ONE
 * builder for both paths that close a period: the real close (app/services/periods/order-inputs.server.ts feeds
 * it pages of stored Commission rows) and the what-if (what-if.ts feeds it the draft's evaluations), so the two
 * cannot disagree on whose volume an order is, which earnings count, or what the sales base is.
 *
 *   volumes            per distributor, the volume of the orders PLACED in the period, credited to the
 *                      order's volume owner (orderVolumeOwner)
 *   volumeAdjustments  per (owner, origin period), the volume taken back by refunds RECORDED in the period
 *   earnings           per (distributor, rule, currency), the per-order commissions of the period's orders net
 *                      of their reversals recorded in the period
 *   clawbacks          per (distributor, currency), the per-order commissions taken back in the period from
 *                      orders of EARLIER periods (< 0): an earlier decision counted them, so this period's payout
 *                      decision nets them (payout-netting.ts)
 *   salesBaseMinor     the period's commissionable base in the shop currency, net of the same-period refunds
 */
import type { EvaluationResult, ReversalResult } from "../engine";
import { addVolumes, NO_VOLUME, refundedVolume, type RefundedVolume } from "../refunds/refunded-volume";
import { periodContaining } from "./calendar";
import type { CurrencyAmount } from "./payout-netting";
import type { PeriodEarning, PeriodRef, PersonalVolume, VolumeAdjustment } from "./types";

/**
 * Whose personal volume an order is: the buying distributor's, else the attributed distributor's (their sale).
 * The snapshot's upline always starts at the attributed distributor (the chain is loaded at least one level
 * deep whatever the plan, uplineDepthToLoad). `recordedOwner` is the attribution stored beside the evaluation:
 * it only decides for snapshots written before that rule, whose upline was empty under a period-only plan.
 */
export function orderVolumeOwner(evaluation: Pick<EvaluationResult, "snapshot">, recordedOwner: string | null = null): string | null {
  return evaluation.snapshot.buyer?.distributorId ?? evaluation.snapshot.upline[0]?.distributorId ?? recordedOwner;
}

export interface PeriodOrderInputs {
  readonly volumes: PersonalVolume[];
  readonly volumeAdjustments: VolumeAdjustment[];
  readonly earnings: PeriodEarning[];
  readonly clawbacks: CurrencyAmount[];
  readonly salesBaseMinor: bigint;
  readonly orders: number;
  readonly reversals: number;
}

/** A refund's reversal of one order, as stored: what it took back and how far the order was refunded after it. */
export interface RecordedReversal {
  readonly evaluation: EvaluationResult;
  readonly reversal: Pick<ReversalResult, "lines" | "refundedLines">;
  readonly refundedQuantity: Readonly<Record<string, number>>;
  /** When the refunded order was placed (ISO 8601): decides whether it belongs to this period. */
  readonly orderedAt: string;
  readonly recordedOwner?: string | null;
}

export class PeriodOrderInputsBuilder {
  private readonly volumes = new Map<string, { pv: bigint; cv: bigint }>();
  private readonly earnings = new Map<string, PeriodEarning>();
  private readonly clawbacks = new Map<string, CurrencyAmount>();
  private readonly adjustments = new Map<string, { distributorId: string; originPeriodKey: string; volume: RefundedVolume }>();
  private salesBaseMinor = 0n;
  private orderCount = 0;
  private reversalCount = 0;

  constructor(
    private readonly period: PeriodRef,
    /** The shop currency: only its orders make up the sales base. */
    private readonly currency: string,
  ) {}

  /** An order placed in the period. */
  addOrder(evaluation: EvaluationResult, recordedOwner: string | null = null): void {
    this.orderCount += 1;
    const owner = orderVolumeOwner(evaluation, recordedOwner);
    if (owner !== null) {
      const sum = this.volumes.get(owner) ?? { pv: 0n, cv: 0n };
      sum.pv += evaluation.totals.pvHundredths;
      sum.cv += evaluation.totals.cvHundredths;
      this.volumes.set(owner, sum);
    }
    for (const line of evaluation.lines) this.addEarning(line.distributorId, line.rule, line.currency, line.amountMinor);
    if (evaluation.currency === this.currency) this.salesBaseMinor += evaluation.totals.baseMinor;
  }

  /** A reversal recorded in the period, of an order of this period or an earlier one. */
  addReversal(recorded: RecordedReversal): void {
    this.reversalCount += 1;
    const { evaluation, reversal } = recorded;
    const sameOrigin = recorded.orderedAt >= this.period.start && recorded.orderedAt < this.period.end;
    const taken = refundedVolume(evaluation.orderLines, reversal.refundedLines, recorded.refundedQuantity);
    const owner = orderVolumeOwner(evaluation, recorded.recordedOwner ?? null);
    if (owner !== null && (taken.pvHundredths > 0n || taken.cvHundredths > 0n)) {
      const originPeriodKey = sameOrigin ? this.period.key : periodContaining(this.period.schedule, recorded.orderedAt).key;
      const key = `${owner}\u0000${originPeriodKey}`;
      const sum = this.adjustments.get(key);
      this.adjustments.set(key, { distributorId: owner, originPeriodKey, volume: addVolumes(sum?.volume ?? NO_VOLUME, taken) });
    }
    if (!sameOrigin) {
      // An earlier period's earnings were decided on then; taking them back now is a debt this decision nets.
      for (const line of reversal.lines) this.addClawback(line.distributorId, line.currency, line.amountMinor);
      return;
    }
    for (const line of reversal.lines) this.addEarning(line.distributorId, line.rule, line.currency, line.amountMinor);
    if (evaluation.currency === this.currency) this.salesBaseMinor -= taken.baseMinor;
  }

  build(): PeriodOrderInputs {
    return {
      volumes: [...this.volumes].map(([distributorId, sum]) => ({ distributorId, pvHundredths: sum.pv, cvHundredths: sum.cv })),
      volumeAdjustments: [...this.adjustments.values()].map(({ distributorId, originPeriodKey, volume }) => ({
        distributorId,
        originPeriodKey,
        pvHundredths: volume.pvHundredths,
        cvHundredths: volume.cvHundredths,
      })),
      // A fully reversed (rule, recipient) earns nothing: dropped rather than passed as a zero.
      earnings: [...this.earnings.values()].filter((earning) => earning.amountMinor !== 0n),
      clawbacks: [...this.clawbacks.values()].filter((row) => row.amountMinor !== 0n),
      salesBaseMinor: this.salesBaseMinor,
      orders: this.orderCount,
      reversals: this.reversalCount,
    };
  }

  private addEarning(distributorId: string, rule: string, currency: string, amountMinor: bigint): void {
    const key = `${distributorId}\u0000${rule}\u0000${currency}`;
    const sum = this.earnings.get(key);
    this.earnings.set(key, { distributorId, rule, currency, amountMinor: (sum?.amountMinor ?? 0n) + amountMinor });
  }

  private addClawback(distributorId: string, currency: string, amountMinor: bigint): void {
    const key = `${distributorId}\u0000${currency}`;
    const sum = this.clawbacks.get(key);
    this.clawbacks.set(key, { distributorId, currency, amountMinor: (sum?.amountMinor ?? 0n) + amountMinor });
  }
}
