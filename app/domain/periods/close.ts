/**
 * Period close (pure): closePeriod(input) → { lines, totals, ranks, binary, payouts, carry, breakage, flags, snapshot }.
 * Same input → same output, whatever order the rows were loaded in (everything is keyed and sorted by id).
 *
 * INPUT CONTRACT (PeriodCloseInput, types.ts), each part loadable from one table as of the period's end:
 *   period            { key, schedule, start, end }: key unique per shop and schedule ("2026-03", "2026-W10",
 *                     see calendar.ts); schedule must be the plan version's `period.schedule`.
 *   planVersion       the version in force at the period's end (parsePlanRules'd rules).
 *   currency          the shop currency: period amounts are in it; per-order earnings in other currencies and
 *                     plan amounts in other currencies are ignored and flagged.
 *   distributors      everyone in the trees at the period's end: sponsorId (SponsorEdge), binary placement
 *                     { parentId, side } (PlacementEdge, position 0 = left, 1 = right), status at the end.
 *   volumes           PeriodVolume rows of the period (pv/cv hundredths per distributor).
 *   volumeAdjustments refunds recorded in the period, per (distributor, origin period): volume taken back. An
 *                     origin of this period lowers this period's volume (so every leg above) by exactly that;
 *                     an earlier origin lowers that period's carry lot in every placement upline's leg.
 *                     (PeriodVolume rows already net of same-period refunds are fine: pass only late ones.)
 *   binaryCarry       the previous close's `carry.binary` (empty for the first close of a plan).
 *   earnings          per-order commissions of the period per (distributor, rule), net of their reversals:
 *                     what matching matches and what payouts add up.
 *   previousRanks     the highest rank achieved before this period (DistributorRankPeriod.achievedRank).
 *   deferredPayouts   the previous close's `carry.deferredPayouts` (balances below the minimum payout, debts).
 *   clawbacks         per-order commissions taken back in the period from orders of earlier periods (optional).
 *   salesBaseMinor    the period's commissionable sales, only if the plan declares maxPayoutPercent.
 *
 * OUTPUT: `lines` (binary, matching, rank advancement; > 0 each) and `totals`, the lines per (rule,
 * recipient) with the idempotency key periodLineKey(period.key, rule, recipient): post one ledger transaction
 * per total, so closing the same period twice is a no-op at the database. `ranks` are the
 * DistributorRankPeriod rows (paidAsRank, achievedRank), `binary` the BinaryLegVolume rows, `payouts` who is
 * paid now and who is deferred, `carry` what the next close takes in. Re-opening a closed period is
 * periodCorrections (corrections.ts): the new result minus what was posted, as new transactions.
 *
 * ORDER: ranks (sponsor tree) → binary (placement tree) → matching (on per-order earnings and this close's
 * binary lines) and rank advancement → the plan's maxPayoutPercent, which scales this close's lines down
 * proportionally when per-order earnings plus period lines would exceed it → the payout decision per recipient,
 * netting the balance brought forward (deferred or debt, and clawbacks) with what was earned (payout-netting.ts).
 */
import { allocateProportionally } from "../money";
import { percentToRatio } from "../engine/decimal";
import type { PlanComponent } from "../engine";
import { closeBinary } from "./binary-close";
import { companyNodesOf, unrankCompanyNodes, withholdCompanyLines } from "./company-node";
import { PeriodInputError } from "./errors";
import { periodLineKey } from "./keys";
import { payMatching } from "./matching";
import { netPayouts } from "./payout-netting";
import { payRankAdvancement } from "./rank-advancement";
import { qualifyRanks, rankOrder } from "./ranks";
import { paycutLines } from "./paycut";
import { scheduleScope, type ScheduleScope } from "./schedules";
import { periodSnapshot } from "./snapshot";
import { indexTrees } from "./trees";
import type {
  BinaryCarryState,
  BinaryResult,
  DeferredPayout,
  PayoutDecision,
  PeriodBreakage,
  PeriodCloseInput,
  PeriodCloseResult,
  PeriodFlag,
  PeriodLine,
  PeriodLineTotal,
} from "./types";
import { periodVolumes } from "./volumes";

export function closePeriod(input: PeriodCloseInput): PeriodCloseResult {
  checkInput(input);
  // A plan with additionalSchedules pays only this schedule's components here (schedules.ts).
  const scope = scheduleScope(input.planVersion.rules, input.period.schedule)!;
  const rules = { ...input.planVersion.rules, components: input.planVersion.rules.components.filter((component) => scope.owns(component.id)) };
  const currency = input.currency;
  const trees = indexTrees(input.distributors);
  const volumes = periodVolumes(input);
  const flags: PeriodFlag[] = trees.issues.map((issue) => ({ type: "genealogy_link_cut", ...issue }));
  for (const volume of input.volumes) {
    if (!trees.byId.has(volume.distributorId)) flags.push({ type: "unknown_distributor", field: "volumes", distributorId: volume.distributorId });
  }

  const rankComponent = input.planVersion.rules.components.find((component) => component.type === "rank");
  const companyIds = companyNodesOf(input.distributors);
  const ranks = unrankCompanyNodes(qualifyRanks(rankComponent, trees, volumes, input.previousRanks), companyIds);
  const order = rankOrder(rankComponent);
  const paidAsIndex = new Map(ranks.map((rank) => [rank.distributorId, rank.paidAsRank === null ? -1 : order.get(rank.paidAsRank)!]));
  const rankIndexOf = (id: string) => paidAsIndex.get(id) ?? -1;

  const earnings = input.earnings.filter((earning) => {
    if (!scope.owns(earning.rule)) return false;
    if (earning.currency === currency) return true;
    flags.push({ type: "currency_mismatch", rule: earning.rule, currency: earning.currency });
    return false;
  });

  // Pass 1: components that do not depend on other components' lines.
  const linesByRule = new Map<string, PeriodLine[]>();
  const breakage: PeriodBreakage[] = [];
  const binary: BinaryResult[] = [];
  const binaryCarry: BinaryCarryState[] = [];
  for (const component of rules.components) {
    if (component.type === "binary") {
      const closed = closeBinary({ component, trees, volumes, periodKey: input.period.key, currency, carryIn: input.binaryCarry, rounding: rules.rounding });
      linesByRule.set(component.id, closed.lines);
      breakage.push(...closed.breakage);
      binary.push(...closed.results);
      binaryCarry.push(...closed.carry);
      flags.push(...closed.flags);
    } else if (component.type === "rank_advancement") {
      if (component.currency !== currency) {
        flags.push({ type: "currency_mismatch", rule: component.id, currency: component.currency });
        linesByRule.set(component.id, []);
      } else {
        linesByRule.set(component.id, payRankAdvancement(component, ranks, order));
      }
    }
  }
  // Pass 2: matching, on per-order earnings and the period lines of the rules it matches.
  for (const component of rules.components) {
    if (component.type !== "matching") continue;
    const matched = new Set(component.matches);
    const earned = new Map<string, bigint>();
    const add = (id: string, amount: bigint) => earned.set(id, (earned.get(id) ?? 0n) + amount);
    for (const earning of earnings) if (matched.has(earning.rule)) add(earning.distributorId, earning.amountMinor);
    for (const ruleId of matched) for (const line of linesByRule.get(ruleId) ?? []) add(line.distributorId, line.amountMinor);
    const paid = payMatching({ component, trees, currency, earnings: earned, rankIndexOf, rankOrder: order, rounding: rules.rounding });
    linesByRule.set(component.id, paid.lines);
    breakage.push(...paid.breakage);
  }

  let lines = withholdCompanyLines(
    rules.components.flatMap((component: PlanComponent) => linesByRule.get(component.id) ?? []),
    companyIds,
    breakage,
  );
  if (rules.maxPayoutPercent !== undefined) {
    if (input.salesBaseMinor === undefined) flags.push({ type: "sales_base_missing" });
    else lines = capToPayoutShare(lines, rules.maxPayoutPercent, input.salesBaseMinor, earnings, breakage);
  }
  if (rules.paycut !== undefined) {
    if (input.salesBaseMinor === undefined) flags.push({ type: "sales_base_missing" });
    else lines = [...lines, ...paycutLines({ maxPercent: rules.paycut.maxPercent, salesBaseMinor: input.salesBaseMinor, currency, earnings, lines })];
  }

  const { payouts, deferred } = decidePayouts(input, lines, earnings, flags, scope.minimumPayout, scope.isMain);
  const { key, schedule, start, end } = input.period;
  return {
    period: { key, schedule, start, end },
    planVersionId: input.planVersion.id,
    currency,
    lines,
    totals: totalsOf(input.period.key, lines),
    breakage,
    ranks,
    binary,
    payouts,
    carry: { binary: binaryCarry, deferredPayouts: deferred },
    flags,
    snapshot: periodSnapshot(input),
  };
}

function checkInput(input: PeriodCloseInput): void {
  if (!/^[A-Z]{3}$/.test(input.currency)) throw new PeriodInputError("currency", `"${input.currency}" is not a normalized ISO 4217 code`);
  const schedule = input.planVersion.rules.period?.schedule;
  if (scheduleScope(input.planVersion.rules, input.period.schedule) === null) {
    throw new PeriodInputError("period.schedule", `is ${input.period.schedule} but plan version ${input.planVersion.id} closes ${schedule}`);
  }
  input.volumes.forEach((volume, index) => {
    if (volume.pvHundredths < 0n || volume.cvHundredths < 0n)
      throw new PeriodInputError(`volumes[${index}]`, "volumes must be ≥ 0 (refunds are volumeAdjustments)");
  });
  input.volumeAdjustments.forEach((adjustment, index) => {
    if (adjustment.pvHundredths < 0n || adjustment.cvHundredths < 0n) {
      throw new PeriodInputError(`volumeAdjustments[${index}]`, "an adjustment is the volume taken back, ≥ 0");
    }
  });
}

/**
 * The plan's most: maxPayoutPercent of the period's sales, minus what per-order components already paid. If
 * this close's lines exceed what is left, they are scaled down proportionally (largest remainder, so they
 * add up to exactly what is left) and the difference is breakage.
 */
function capToPayoutShare(
  lines: readonly PeriodLine[],
  maxPercent: string,
  salesBaseMinor: bigint,
  earnings: readonly { amountMinor: bigint }[],
  breakage: PeriodBreakage[],
): PeriodLine[] {
  const ratio = percentToRatio(maxPercent);
  const allowedTotal = (salesBaseMinor * ratio.numerator) / ratio.denominator;
  const perOrder = earnings.reduce((sum, earning) => sum + earning.amountMinor, 0n);
  const left = allowedTotal - perOrder > 0n ? allowedTotal - perOrder : 0n;
  const total = lines.reduce((sum, line) => sum + line.amountMinor, 0n);
  if (total <= left) return [...lines];
  const scaled = allocateProportionally(
    left,
    lines.map((line) => line.amountMinor),
  );
  const kept: PeriodLine[] = [];
  lines.forEach((line, index) => {
    const amountMinor = scaled[index]!;
    if (amountMinor < line.amountMinor) {
      breakage.push({
        rule: line.rule,
        kind: line.kind,
        distributorId: line.distributorId,
        amountMinor: line.amountMinor - amountMinor,
        currency: line.currency,
        reason: "payout_share",
      });
    }
    if (amountMinor > 0n) kept.push({ ...line, amountMinor });
  });
  return kept;
}

function totalsOf(periodKey: string, lines: readonly PeriodLine[]): PeriodLineTotal[] {
  const totals = new Map<string, PeriodLineTotal>();
  for (const line of lines) {
    const key = periodLineKey(periodKey, line.rule, line.distributorId);
    const total = totals.get(key);
    totals.set(key, {
      idempotencyKey: key,
      rule: line.rule,
      kind: line.kind,
      distributorId: line.distributorId,
      amountMinor: (total?.amountMinor ?? 0n) + line.amountMinor,
      currency: line.currency,
    });
  }
  return [...totals.values()];
}

/**
 * The payout decisions: the balance brought forward (the previous close's carry, deferred or debt, plus this
 * period's clawbacks) netted with what was earned, by netPayouts (payout-netting.ts, where the rule is defined).
 * Below the schedule's minimum payout a balance is deferred to the next close of the same schedule (weekly and
 * monthly balances are never combined); a debt is carried the same way, so it is worked off before any payout.
 */
function decidePayouts(
  input: PeriodCloseInput,
  lines: readonly PeriodLine[],
  earnings: readonly { distributorId: string; amountMinor: bigint }[],
  flags: PeriodFlag[],
  minimum: ScheduleScope["minimumPayout"],
  /** Clawbacks are netted by the main schedule only, so an additional schedule never takes the same debt again. */
  netsClawbacks: boolean,
): { payouts: PayoutDecision[]; deferred: DeferredPayout[] } {
  const currency = input.currency;
  let minimumMinor = 0n;
  if (minimum && minimum.currency !== input.currency) flags.push({ type: "currency_mismatch", rule: "period.minimumPayout", currency: minimum.currency });
  else if (minimum) minimumMinor = BigInt(minimum.amountMinor);

  const clawbacks = (netsClawbacks ? (input.clawbacks ?? []) : []).filter((row) => {
    if (row.currency === currency) return true;
    flags.push({ type: "currency_mismatch", rule: "clawbacks", currency: row.currency });
    return false;
  });
  const netted = netPayouts({
    carried: [...input.deferredPayouts.map((row) => ({ ...row, currency })), ...clawbacks],
    earned: [...earnings, ...lines].map((row) => ({ distributorId: row.distributorId, currency, amountMinor: row.amountMinor })),
    minimumFor: () => minimumMinor,
  });
  const payouts = netted.map(({ distributorId, carriedInMinor, earnedMinor, payableMinor, decision, paidMinor, carriedOutMinor }): PayoutDecision => ({
    distributorId,
    carriedInMinor,
    earnedMinor,
    payableMinor,
    decision,
    paidMinor,
    carriedOutMinor,
  }));
  const deferred = netted.filter((row) => row.carriedOutMinor !== 0n).map((row) => ({ distributorId: row.distributorId, amountMinor: row.carriedOutMinor }));
  return { payouts, deferred };
}
