/**
 * Plan versions: which one is in force at an order's timestamp (planInForce decides over the candidates the
 * caller loaded), and their parsed rules. Published versions never change, so parsed rules are cached per
 * process by version id: the zod parse is paid once per version, not once per order.
 */
import { parsePlanRules, planInForce, uplineDepthToLoad, type PlanRules, type PlanVersionRef } from "~/domain/engine";
import type { RawSqlClient } from "~/db/raw-sql.server";

const CACHE_LIMIT = 512;
const parsedRules = new Map<string, PlanRules>();

export interface PlanVersionCandidate {
  readonly id: string;
  readonly version: number;
  /** ISO 8601. */
  readonly effectiveFrom: string;
}

/** The version in force at `at` among `candidates`, with its rules; null when none had started by then. */
export async function planVersionAt(
  client: RawSqlClient,
  shopId: string,
  candidates: readonly PlanVersionCandidate[],
  at: Date,
): Promise<PlanVersionRef | null> {
  const chosen = planInForce(candidates, at.toISOString());
  if (!chosen) return null;
  return { id: chosen.id, version: chosen.version, rules: await rulesOf(client, shopId, chosen.id) };
}

async function rulesOf(client: RawSqlClient, shopId: string, versionId: string): Promise<PlanRules> {
  const cached = parsedRules.get(versionId);
  if (cached) return cached;
  const [row] = await client.$queryRaw<{ rules: unknown }[]>`
    SELECT "rules" FROM "CommissionPlanVersion" WHERE "id" = ${versionId}::uuid AND "shopId" = ${shopId}::uuid`;
  if (!row) throw new RangeError(`plan version ${versionId} is not in shop ${shopId}`);
  // Validated when published; parsed again so a hand-edited row can never reach the engine unchecked.
  const rules = parsePlanRules(row.rules);
  if (parsedRules.size >= CACHE_LIMIT) parsedRules.delete(parsedRules.keys().next().value!);
  parsedRules.set(versionId, rules);
  return rules;
}

/** How far up the upline must be loaded: every level the plan pays, and never less than the volume's owner. */
export function deepestLevel(rules: PlanRules): number {
  return uplineDepthToLoad(rules);
}
