/**
 * Paying rates per level up a chain: shared by unilevel (sponsor chain), forced matrix (placement chain) and
 * fast-start (the recruit's sponsor chain). Who holds each level is decided once per order (assignLevels);
 * every order line then pays its class's rate for each level to that holder, or reports it as breakage.
 */
import { allocateProportionally, type RoundingMode } from "../money";
import type { PlanComponentType, Rate } from "./plan-schema";
import { awardMinor, compileRate, isZeroRate, shareMinor, type CompiledRate } from "./rates";
import type { BreakageLine, BreakageReason, CommissionLine, DistributorStatus, EvaluatedLine, EvaluationFlag } from "./types";

export interface ChainNode {
  readonly distributorId: string;
  readonly status: DistributorStatus;
}

export interface LevelHolder {
  readonly level: number;
  readonly distributorId: string | null;
  readonly paid: boolean;
  readonly reason: BreakageReason | null;
}

/** Rates per class, parsed once per (immutable) plan component; null marks a zero rate that pays nothing. */
export type CompiledLevelRates = ReadonlyMap<string, readonly (CompiledRate | null)[]>;

const compiledRates = new WeakMap<object, CompiledLevelRates>();
/** The compiled rate tables that hold a fixed amount per order or a relative rate (most hold neither). */
const withPerOrderRates = new WeakSet<CompiledLevelRates>();
const withRelativeRates = new WeakSet<CompiledLevelRates>();

export function compileLevelRates(rates: Readonly<Record<string, readonly Rate[]>>): CompiledLevelRates {
  let compiled = compiledRates.get(rates);
  if (!compiled) {
    compiled = new Map(
      Object.entries(rates).map(([classId, levels]) => [
        classId,
        levels.map((rate) => {
          const compiledRate = compileRate(rate);
          return isZeroRate(compiledRate) ? null : compiledRate;
        }),
      ]),
    );
    compiledRates.set(rates, compiled);
    const kinds = new Set(Object.values(rates).flatMap((levels) => levels.map((rate) => rate.kind)));
    if (kinds.has("fixed_per_order")) withPerOrderRates.add(compiled);
    if (kinds.has("percent_of_commission")) withRelativeRates.add(compiled);
  }
  return compiled;
}

/** Assigns levels 1..maxDepth to the chain once per order; every line then reads the same assignment. */
export function assignLevels(
  component: { readonly maxDepth: number; readonly compression: "dynamic" | "none" },
  chain: readonly ChainNode[],
): { holders: LevelHolder[]; compressed: string[] } {
  const holders: LevelHolder[] = [];
  const compressed: string[] = [];
  if (component.compression === "dynamic") {
    for (const node of chain) {
      if (holders.length === component.maxDepth) break;
      if (node.status === "active") {
        holders.push({ level: holders.length + 1, distributorId: node.distributorId, paid: true, reason: null });
      } else {
        compressed.push(node.distributorId);
      }
    }
  } else {
    for (const node of chain.slice(0, component.maxDepth)) {
      const paid = node.status === "active";
      holders.push({ level: holders.length + 1, distributorId: node.distributorId, paid, reason: paid ? null : "not_active" });
    }
  }
  while (holders.length < component.maxDepth) {
    holders.push({ level: holders.length + 1, distributorId: null, paid: false, reason: "no_upline" });
  }
  return { holders, compressed };
}

export interface LevelPayoutContext {
  readonly rule: string;
  readonly kind: PlanComponentType;
  readonly currency: string;
  readonly lines: readonly EvaluatedLine[];
  /** The plan's rounding mode (plan rules `rounding`); half-even when absent. */
  readonly rounding?: RoundingMode;
}

export interface LevelPayout {
  readonly lines: CommissionLine[];
  readonly breakage: BreakageLine[];
  readonly flags: EvaluationFlag[];
}

export function payLevels(rates: CompiledLevelRates, holders: readonly LevelHolder[], context: LevelPayoutContext): LevelPayout {
  const lines: CommissionLine[] = [];
  const breakage: BreakageLine[] = [];
  const flags: EvaluationFlag[] = [];
  const mode = context.rounding ?? "half_even";
  const perOrder = withPerOrderRates.has(rates) ? spreadPerOrderAmounts(rates, context) : NO_PER_ORDER_AMOUNTS;
  // What each level earned on the line (paid or breakage): the basis of relative rates above it.
  const earned: bigint[] | null = withRelativeRates.has(rates) ? [] : null;
  for (let lineIndex = 0; lineIndex < context.lines.length; lineIndex++) {
    const line = context.lines[lineIndex]!;
    const classRates = rates.get(line.classId);
    if (!classRates) continue;
    for (let index = 0; index < classRates.length; index++) {
      if (earned) earned[index] = 0n;
      const rate = classRates[index];
      const holder = holders[index];
      if (!rate || !holder) continue;
      if ((rate.kind === "fixed_per_unit" || rate.kind === "fixed_per_order") && rate.currency !== context.currency) {
        flags.push({ type: "rate_currency_mismatch", rule: context.rule, orderLineId: line.orderLineId, level: holder.level, rateCurrency: rate.currency });
        continue;
      }
      let basisMinor = line.baseMinor;
      let amountMinor: bigint;
      if (rate.kind === "fixed_per_order") amountMinor = perOrder.get(perOrderKey(lineIndex, index)) ?? 0n;
      else if (rate.kind === "percent_of_commission") {
        basisMinor = (rate.of === "level_1" ? earned?.[0] : earned?.[index - 1]) ?? 0n;
        amountMinor = shareMinor(rate.ratio, basisMinor, mode);
      } else amountMinor = awardMinor(rate, line.baseMinor, line.quantity, mode);
      if (earned) earned[index] = amountMinor;
      if (amountMinor === 0n) continue;
      // Field order matters: stored evaluations are compared byte for byte with their replay.
      if (holder.paid && holder.distributorId !== null) {
        lines.push({
          distributorId: holder.distributorId,
          amountMinor,
          currency: context.currency,
          kind: context.kind,
          level: holder.level,
          rule: context.rule,
          orderLineId: line.orderLineId,
          classId: line.classId,
          basisMinor,
          rate: rate.source,
        });
      } else {
        breakage.push({
          rule: context.rule,
          kind: context.kind,
          level: holder.level,
          orderLineId: line.orderLineId,
          classId: line.classId,
          amountMinor,
          currency: context.currency,
          basisMinor,
          rate: rate.source,
          reason: holder.reason ?? "no_upline",
          distributorId: holder.distributorId,
        });
      }
    }
  }
  return { lines, breakage, flags };
}

const NO_PER_ORDER_AMOUNTS: ReadonlyMap<string, bigint> = new Map();

function perOrderKey(lineIndex: number, levelIndex: number): string {
  return `${lineIndex}:${levelIndex}`;
}

/**
 * A fixed amount per order is paid once per (class, level), spread over the order's lines of that class in
 * proportion to their base (largest remainder: the parts add up to the amount exactly). Spreading it keeps
 * every commission line tied to an order line, so a refund of one line reverses that line's share.
 */
function spreadPerOrderAmounts(rates: CompiledLevelRates, context: LevelPayoutContext): Map<string, bigint> {
  const spread = new Map<string, bigint>();
  for (const [classId, classRates] of rates) {
    const lineIndexes: number[] = [];
    context.lines.forEach((line, index) => {
      if (line.classId === classId) lineIndexes.push(index);
    });
    if (lineIndexes.length === 0) continue;
    const weights = lineIndexes.map((index) => {
      const base = context.lines[index]!.baseMinor;
      return base > 0n ? base : 0n;
    });
    classRates.forEach((rate, levelIndex) => {
      if (rate?.kind !== "fixed_per_order") return;
      allocateProportionally(rate.amountMinor, weights).forEach((part, i) => spread.set(perOrderKey(lineIndexes[i]!, levelIndex), part));
    });
  }
  return spread;
}
