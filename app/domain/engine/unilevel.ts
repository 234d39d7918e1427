/**
 * Unilevel: each order line pays a rate per level up the sponsor chain, by commission class, to `maxDepth` levels.
 *
 * Who is level 1: the attributed distributor, i.e. the referrer who made the sale (upline[0]). Their sponsor is
 * level 2, and so on. With dynamic compression an upline who is not active (inactive or terminated) is skipped
 * and does not use up a level, so levels are counted over active uplines only; without compression each upline
 * holds their level and an inactive holder's share is breakage. A distributor who is not active is never paid.
 * Levels nobody can fill are reported as breakage (kept by the company), never paid to someone else.
 */
import { awardMinor, compileRate, isZeroRate, type CompiledRate } from "./rates";
import type { UnilevelComponent } from "./plan-schema";
import type {
  BreakageLine,
  BreakageReason,
  CommissionLine,
  ComponentContext,
  ComponentOutput,
  EvaluationFlag,
  UplineNode,
} from "./types";

interface LevelHolder {
  readonly level: number;
  readonly distributorId: string | null;
  readonly paid: boolean;
  readonly reason: BreakageReason | null;
}

/** Rates per class, parsed once per (immutable) plan component; null marks a zero rate that pays nothing. */
type CompiledUnilevel = ReadonlyMap<string, readonly (CompiledRate | null)[]>;

const compiledComponents = new WeakMap<UnilevelComponent, CompiledUnilevel>();

function compile(component: UnilevelComponent): CompiledUnilevel {
  let compiled = compiledComponents.get(component);
  if (!compiled) {
    compiled = new Map(
      Object.entries(component.rates).map(([classId, rates]) => [
        classId,
        rates.map((rate) => {
          const compiledRate = compileRate(rate);
          return isZeroRate(compiledRate) ? null : compiledRate;
        }),
      ]),
    );
    compiledComponents.set(component, compiled);
  }
  return compiled;
}

/** Assigns levels 1..maxDepth to uplines once per order; every line then reads the same assignment. */
export function assignLevels(
  component: Pick<UnilevelComponent, "maxDepth" | "compression">,
  upline: readonly UplineNode[],
): { holders: LevelHolder[]; compressed: string[] } {
  const holders: LevelHolder[] = [];
  const compressed: string[] = [];
  if (component.compression === "dynamic") {
    for (const node of upline) {
      if (holders.length === component.maxDepth) break;
      if (node.status === "active") {
        holders.push({ level: holders.length + 1, distributorId: node.distributorId, paid: true, reason: null });
      } else {
        compressed.push(node.distributorId);
      }
    }
  } else {
    for (const node of upline.slice(0, component.maxDepth)) {
      const paid = node.status === "active";
      holders.push({
        level: holders.length + 1,
        distributorId: node.distributorId,
        paid,
        reason: paid ? null : "not_active",
      });
    }
  }
  while (holders.length < component.maxDepth) {
    holders.push({ level: holders.length + 1, distributorId: null, paid: false, reason: "no_upline" });
  }
  return { holders, compressed };
}

export function evaluateUnilevel(component: UnilevelComponent, context: ComponentContext): ComponentOutput {
  const ratesByClass = compile(component);
  const { holders, compressed } = assignLevels(component, context.upline);
  const lines: CommissionLine[] = [];
  const breakage: BreakageLine[] = [];
  const flags: EvaluationFlag[] = [];

  for (const line of context.lines) {
    const rates = ratesByClass.get(line.classId);
    if (!rates) continue;
    for (let index = 0; index < rates.length; index++) {
      const rate = rates[index];
      const holder = holders[index];
      if (!rate || !holder) continue;
      if (rate.kind === "fixed_per_unit" && rate.currency !== context.currency) {
        flags.push({
          type: "rate_currency_mismatch",
          rule: component.id,
          orderLineId: line.orderLineId,
          level: holder.level,
          rateCurrency: rate.currency,
        });
        continue;
      }
      const amountMinor = awardMinor(rate, line.baseMinor, line.quantity);
      if (amountMinor === 0n) continue;
      if (holder.paid && holder.distributorId !== null) {
        lines.push({
          distributorId: holder.distributorId,
          amountMinor,
          currency: context.currency,
          kind: "unilevel",
          level: holder.level,
          rule: component.id,
          orderLineId: line.orderLineId,
          classId: line.classId,
          basisMinor: line.baseMinor,
          rate: rate.source,
        });
      } else {
        breakage.push({
          rule: component.id,
          kind: "unilevel",
          level: holder.level,
          orderLineId: line.orderLineId,
          classId: line.classId,
          amountMinor,
          currency: context.currency,
          basisMinor: line.baseMinor,
          rate: rate.source,
          reason: holder.reason ?? "no_upline",
          distributorId: holder.distributorId,
        });
      }
    }
  }

  return {
    lines,
    breakage,
    flags,
    snapshot: {
      type: "unilevel",
      rule: component.id,
      compression: component.compression,
      levels: holders.map(({ level, distributorId, paid }) => ({ level, distributorId, paid })),
      compressed,
    },
  };
}
