/**
 * Checks across components of one plan version, which no single component schema can see: rank ids must be
 * defined by the plan's rank component, a matching bonus must name components that earn money, period
 * components need a schedule, and the per-order percentages must fit under the declared payout share.
 */
import { parseUnsignedDecimal } from "./decimal";
import type { PeriodSchedule, PlanComponent } from "./plan-schema";

interface RulesToCheck {
  readonly components: readonly PlanComponent[];
  readonly period?: PeriodSchedule | undefined;
  readonly maxPayoutPercent?: string | undefined;
}

export interface ReferenceIssue {
  readonly path: PropertyKey[];
  readonly message: string;
}

const PERIOD_TYPES = new Set(["binary", "rank", "matching", "rank_advancement"]);
/** Component types whose lines are commissions a matching bonus may match. */
const MATCHABLE_TYPES = new Set(["unilevel", "matrix", "fast_start", "binary"]);

export function checkPlanReferences(rules: RulesToCheck): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  const periodTypes = [...new Set(rules.components.filter((c) => PERIOD_TYPES.has(c.type)).map((c) => c.type))];
  if (periodTypes.length > 0 && !rules.period) {
    issues.push({ path: ["period"], message: `is required because the plan has period components (${periodTypes.join(", ")})` });
  }

  const rankComponents = rules.components.flatMap((c, index) => (c.type === "rank" ? [{ c, index }] : []));
  rankComponents.slice(1).forEach(({ index }) => issues.push({ path: ["components", index, "type"], message: "only one rank component is allowed" }));
  const rankIds = rankComponents[0] ? rankComponents[0].c.ranks.map((rank) => rank.id) : null;
  const checkRank = (rankId: string, path: PropertyKey[]) => {
    if (rankIds === null) issues.push({ path, message: `rank "${rankId}" is not defined: add a "rank" component that lists it` });
    else if (!rankIds.includes(rankId)) issues.push({ path, message: `rank "${rankId}" is not one of the plan's ranks (${rankIds.join(", ")})` });
  };

  const ids = new Map(rules.components.map((c) => [c.id, c.type]));
  rules.components.forEach((component, index) => {
    const at = (...rest: PropertyKey[]) => ["components", index, ...rest];
    switch (component.type) {
      case "unilevel":
        for (const rankId of Object.keys(component.rankDepth?.byRank ?? {})) checkRank(rankId, at("rankDepth", "byRank", rankId));
        for (const [classId, byRank] of Object.entries(component.differential?.rates ?? {})) {
          for (const rankId of Object.keys(byRank)) checkRank(rankId, at("differential", "rates", classId, rankId));
        }
        break;
      case "matching":
        component.generations.forEach((generation, g) => {
          if (generation.minRank !== undefined) checkRank(generation.minRank, at("generations", g, "minRank"));
        });
        if (component.generationEndsAtRank !== undefined) checkRank(component.generationEndsAtRank, at("generationEndsAtRank"));
        component.matches.forEach((ruleId, m) => {
          const type = ids.get(ruleId);
          if (type === undefined) issues.push({ path: at("matches", m), message: `"${ruleId}" is not a component of this plan` });
          else if (!MATCHABLE_TYPES.has(type)) {
            issues.push({
              path: at("matches", m),
              message: `"${ruleId}" is a ${type} component; only ${[...MATCHABLE_TYPES].join(", ")} earnings can be matched`,
            });
          }
        });
        break;
      case "rank_advancement":
        for (const rankId of Object.keys(component.bonuses)) checkRank(rankId, at("bonuses", rankId));
        break;
      default:
        break;
    }
  });

  if (rules.maxPayoutPercent !== undefined) issues.push(...checkPayoutShare(rules.components, rules.maxPayoutPercent));
  return issues;
}

/** Percent text → millionths of a percent, so percentages add exactly. */
function micro(percent: string): bigint {
  const { numerator, denominator } = parseUnsignedDecimal(percent);
  return (numerator * 1_000_000n) / denominator;
}

/**
 * The most one order line can pay, per class, in percent of its base: every level of every per-order
 * component (the highest rank's percent for a differential). Fixed amounts per unit cannot be compared to a
 * share of sales here; the period close enforces the share on what was actually paid.
 */
function checkPayoutShare(components: readonly PlanComponent[], maxPercent: string): ReferenceIssue[] {
  const perClass = new Map<string, bigint>();
  const add = (classId: string, amount: bigint) => perClass.set(classId, (perClass.get(classId) ?? 0n) + amount);
  for (const component of components) {
    if (component.type === "unilevel" && component.differential) {
      for (const [classId, byRank] of Object.entries(component.differential.rates)) {
        add(
          classId,
          Object.values(byRank).reduce((max, p) => (micro(p) > max ? micro(p) : max), 0n),
        );
      }
    } else if (component.type === "unilevel" || component.type === "matrix" || component.type === "fast_start") {
      for (const [classId, rates] of Object.entries(component.rates ?? {})) {
        // A relative rate pays a percent of another level's share: its own share of the base is the product.
        const shares: bigint[] = [];
        rates.forEach((rate, level) => {
          const below = rate.kind === "percent_of_commission" ? ((rate.of === "level_1" ? shares[0] : shares[level - 1]) ?? 0n) : 0n;
          shares[level] =
            rate.kind === "percent" ? micro(rate.percent) : rate.kind === "percent_of_commission" ? (below * micro(rate.percent)) / 100_000_000n : 0n;
          add(classId, shares[level]);
        });
      }
    }
  }
  const limit = micro(maxPercent);
  return [...perClass]
    .filter(([, total]) => total > limit)
    .map(([classId, total]) => ({
      path: ["maxPayoutPercent"],
      message: `is ${maxPercent} but the per-order percentages of class "${classId}" add up to ${formatMicro(total)}`,
    }));
}

function formatMicro(value: bigint): string {
  const whole = value / 1_000_000n;
  const fraction = (value % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
}
