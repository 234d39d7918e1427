/**
 * The shop's company node is the root of the trees, not a payee. Recruits without a sponsor hang under it and
 * unrelated roots are placed under it, so every chain can reach it; whatever a per-order component would pay it
 * stays with the company as breakage, reason "company_node", like any level nobody could hold.
 *
 * Applied to each component's output after it ran (rather than inside every evaluator), so a level held by the
 * company node is still a level (compression does not pass it up: the node is the root, there is nobody above)
 * and every component type, present or future, obeys the same rule.
 */
import type { BreakageLine, ComponentOutput, PlacementUplineNode, UplineNode } from "./types";

/** The company node's ids on the chains of one order (empty in the common case: nothing to withhold). */
const NONE: ReadonlySet<string> = new Set();

export function companyNodeIds(upline: readonly UplineNode[], placementUpline: readonly PlacementUplineNode[] | undefined): ReadonlySet<string> {
  let ids: Set<string> | null = null;
  // On the engine's hot path: no allocation for the common order, whose chains hold no company node.
  for (const node of upline) if (node.company === true) (ids ??= new Set()).add(node.distributorId);
  if (placementUpline) for (const node of placementUpline) if (node.company === true) (ids ??= new Set()).add(node.distributorId);
  return ids ?? NONE;
}

export function withholdFromCompanyNode(output: ComponentOutput, companyIds: ReadonlySet<string>): ComponentOutput {
  if (companyIds.size === 0 || !output.lines.some((line) => companyIds.has(line.distributorId))) return output;
  const lines = output.lines.filter((line) => !companyIds.has(line.distributorId));
  const withheld = output.lines
    .filter((line) => companyIds.has(line.distributorId))
    .map((line): BreakageLine => ({
      rule: line.rule,
      kind: line.kind,
      level: line.level,
      orderLineId: line.orderLineId,
      classId: line.classId,
      amountMinor: line.amountMinor,
      currency: line.currency,
      basisMinor: line.basisMinor,
      rate: line.rate,
      reason: "company_node",
      distributorId: line.distributorId,
    }));
  // Breakage stays in the components' order: by order line, then level.
  const lineOrder = new Map<string, number>();
  for (const line of [...output.lines, ...output.breakage]) if (!lineOrder.has(line.orderLineId)) lineOrder.set(line.orderLineId, lineOrder.size);
  const breakage = [...output.breakage, ...withheld].sort((a, b) => lineOrder.get(a.orderLineId)! - lineOrder.get(b.orderLineId)! || a.level - b.level);
  const { snapshot } = output;
  return {
    lines,
    breakage,
    flags: output.flags,
    snapshot:
      "levels" in snapshot
        ? {
            ...snapshot,
            levels: snapshot.levels.map((level) => (level.distributorId !== null && companyIds.has(level.distributorId) ? { ...level, paid: false } : level)),
          }
        : snapshot,
  };
}
