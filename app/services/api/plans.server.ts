/**
 * /api/v1/plans: the shop's plan versions, and publishing a new one. Publishing goes through publishPlanVersion,
 * the path the admin Plans page uses, so the API adds no rule of its own: the same zod schema (planRulesSchema)
 * validates, and every refusal is a 422 naming the field (`rules.components[0].rates.standard[0].percent`).
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import { planInForce, planRulesSchema, validatePlanRules, type PlanIssue } from "~/domain/engine";
import { instantText } from "~/domain/input-atoms";
import { publishPlanVersion } from "~/services/commissions/setup.server";
import { storedProblem, type StoredResponse } from "./idempotency.server";
import { asStored, parseBody } from "./stored.server";
import { validationProblem } from "~/services/http/problem.server";

/** The body as validated: `rules` is checked by validatePlanRules so its issues carry the plan's own paths. */
const publishPlanInput = z.strictObject({
  rules: z.unknown().refine((rules) => rules !== undefined, { error: "is required" }),
  /** Default: now. An order is paid by the version in force when it was placed. */
  effective_from: instantText.optional(),
});

/** The same body for the OpenAPI document, with `rules` described by the plan's own schema. */
export const publishPlanBody = publishPlanInput.extend({ rules: planRulesSchema });

/** Where each plan issue is, under the body's `rules` (or, for what-if, `plan`). */
export function planIssuesProblem(issues: readonly PlanIssue[], field: string, detail: string) {
  return validationProblem(
    422,
    // An issue about the plan as a whole ("(plan)": not an object) is about the field itself.
    issues.map((issue) => ({ path: [issue.path === "" || issue.path === "(plan)" ? field : `${field}.${issue.path}`], message: issue.message })),
    detail,
  );
}

interface PlanRow {
  id: string;
  version: number;
  effectiveFrom: Date;
  publishedBy: string;
  createdAt: Date;
  rules: unknown;
}

function versionJson(row: PlanRow, inForceId: string | null, now: Date) {
  return {
    id: row.id,
    version: row.version,
    effective_from: row.effectiveFrom.toISOString(),
    status: row.id === inForceId ? "in_force" : row.effectiveFrom > now ? "scheduled" : "superseded",
    published_by: row.publishedBy,
    published_at: row.createdAt.toISOString(),
    rules: row.rules,
  };
}

async function inForceId(db: Db, shopId: string, now: Date): Promise<string | null> {
  const refs = await db.commissionPlanVersion.findMany({ where: { shopId }, select: { id: true, version: true, effectiveFrom: true } });
  return (
    planInForce(
      refs.map((ref) => ({ ...ref, effectiveFrom: ref.effectiveFrom.toISOString() })),
      now.toISOString(),
    )?.id ?? null
  );
}

export async function listPlanVersions(db: Db, shopId: string, now = new Date()) {
  const rows = await db.commissionPlanVersion.findMany({ where: { shopId }, orderBy: { version: "desc" } });
  const current = await inForceId(db, shopId, now);
  return { items: rows.map((row) => versionJson(row, current, now)) };
}

export function publishPlanRequest(db: Db, shopId: string, tokenId: string, body: unknown, now = new Date()): Promise<StoredResponse> {
  return asStored(async () => {
    const input = parseBody(publishPlanInput, body, "The plan version has invalid or missing fields.");
    const validation = validatePlanRules(input.rules);
    if (!validation.ok) return storedProblem(planIssuesProblem(validation.issues, "rules", "The plan is invalid."));
    const published = await publishPlanVersion(db, shopId, input.rules, input.effective_from ?? now, `api:${tokenId}`);
    const row = await db.commissionPlanVersion.findFirstOrThrow({ where: { shopId, id: published.id } });
    return {
      status: 201,
      body: { plan_version: versionJson(row, await inForceId(db, shopId, now), now), missing_classes: published.missingClasses },
    };
  });
}
