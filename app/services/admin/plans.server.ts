/**
 * What the admin's Plans page shows and does: the shop's plan versions (which one is in force now), its
 * commission classes, and publishing a new version from the JSON a merchant typed. Publishing goes through
 * publishPlanVersion, the same path the demo seed and the tests use, so the page adds no rule of its own.
 */
import { findUnstorableText, isSupportedInstant, UNSTORABLE_TEXT_MESSAGE } from "~/domain/input-atoms";
import { planInForce, PlanValidationError, validatePlanRules, type PlanIssue, type PlanRules } from "~/domain/engine";
import { publishPlanVersion } from "~/services/commissions/setup.server";
import { parseCommissionSettings, type CommissionSettings } from "~/services/commissions/settings.server";
import type { Db } from "~/db.server";
import { formatMinor } from "~/domain/money";
import { planWhatIf } from "~/services/periods/what-if.server";

export interface PlanVersionSummary {
  readonly id: string;
  readonly version: number;
  readonly effectiveFrom: string;
  readonly publishedBy: string;
  readonly publishedAt: string;
  readonly status: "in_force" | "scheduled" | "superseded";
  readonly components: readonly { readonly type: string; readonly id: string }[];
  /** The rules as stored, indented for reading (and for copying into a new version). */
  readonly rulesText: string;
}

export interface CommissionClassSummary {
  readonly key: string;
  readonly name: string;
  readonly isDefault: boolean;
  readonly mappings: number;
}

export interface PlansOverview {
  readonly versions: readonly PlanVersionSummary[];
  readonly classes: readonly CommissionClassSummary[];
  readonly settings: CommissionSettings;
}

export async function plansOverview(db: Db, shopId: string, now = new Date()): Promise<PlansOverview> {
  const [versions, classes, shop] = await Promise.all([
    db.commissionPlanVersion.findMany({ where: { shopId }, orderBy: { version: "desc" } }),
    db.commissionClass.findMany({
      where: { shopId },
      orderBy: { key: "asc" },
      select: { key: true, name: true, isDefault: true, _count: { select: { mappings: true } } },
    }),
    db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } }),
  ]);
  const refs = versions.map((row) => ({ id: row.id, version: row.version, effectiveFrom: row.effectiveFrom.toISOString() }));
  const inForce = planInForce(refs, now.toISOString());
  return {
    versions: versions.map((row) => ({
      id: row.id,
      version: row.version,
      effectiveFrom: row.effectiveFrom.toISOString(),
      publishedBy: row.publishedBy,
      publishedAt: row.createdAt.toISOString(),
      status: row.id === inForce?.id ? "in_force" : row.effectiveFrom > now ? "scheduled" : "superseded",
      components: componentsOf(row.rules),
      rulesText: JSON.stringify(row.rules, null, 2),
    })),
    classes: classes.map((row) => ({ key: row.key, name: row.name, isDefault: row.isDefault, mappings: row._count.mappings })),
    settings: parseCommissionSettings(shop.settings),
  };
}

function componentsOf(rules: unknown): PlanVersionSummary["components"] {
  const components = (rules as Partial<PlanRules> | null)?.components;
  return Array.isArray(components) ? components.map((component) => ({ type: String(component.type), id: String(component.id) })) : [];
}

export type PublishOutcome =
  { readonly ok: true; readonly version: number; readonly missingClasses: readonly string[] } | { readonly ok: false; readonly issues: readonly PlanIssue[] };

/**
 * Publishes what the form sent. Every refusal names where the problem is (`components[0].rates.standard[1]`,
 * `effectiveFrom`, or the JSON position), so the merchant can fix it without guessing.
 */
export async function publishPlanFromForm(
  db: Db,
  shopId: string,
  form: { readonly rulesText: string; readonly effectiveFrom: string },
  actor: string,
): Promise<PublishOutcome> {
  const issues: PlanIssue[] = [];
  let rules: unknown;
  try {
    rules = JSON.parse(form.rulesText);
  } catch (error) {
    issues.push({ path: "rules", message: `is not valid JSON (${(error as Error).message})` });
  }
  const unstorable = issues.length === 0 ? findUnstorableText(rules) : null;
  if (unstorable) issues.push({ path: `rules.${unstorable}`, message: UNSTORABLE_TEXT_MESSAGE });
  const effectiveFrom = new Date(form.effectiveFrom);
  if (form.effectiveFrom.trim() === "" || !isSupportedInstant(effectiveFrom.getTime())) {
    issues.push({ path: "effectiveFrom", message: "must be a date and time between 1970 and 2199" });
  }
  if (issues.length > 0) return { ok: false, issues };
  try {
    const published = await publishPlanVersion(db, shopId, rules, effectiveFrom, actor);
    return { ok: true, version: published.version, missingClasses: published.missingClasses };
  } catch (error) {
    if (error instanceof PlanValidationError) return { ok: false, issues: error.issues };
    throw error;
  }
}

/** How many of the shop's latest evaluated orders a preview replays. */
export const PREVIEW_ORDERS = 50;

export type PreviewOutcome =
  | { readonly ok: true; readonly orders: number; readonly currency: string; readonly draft: string; readonly inForce: string }
  | { readonly ok: false; readonly issues: readonly PlanIssue[] };

/**
 * What-if from the Plans page: the draft typed in the form, replayed on the shop's latest evaluated orders (each
 * against the genealogy as it stood at its own time), beside what those orders were actually paid. Read-only:
 * the what-if service runs in a READ ONLY transaction.
 */
export async function previewPlanFromForm(db: Db, shopId: string, rulesText: string): Promise<PreviewOutcome> {
  let plan: unknown;
  try {
    plan = JSON.parse(rulesText);
  } catch (error) {
    return { ok: false, issues: [{ path: "rules", message: `is not valid JSON (${(error as Error).message})` }] };
  }
  // The draft's own mistakes first, with or without orders to preview on: they are what the merchant can fix now.
  const validation = validatePlanRules(plan);
  if (!validation.ok) return { ok: false, issues: validation.issues };
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } });
  const recent = await db.commission.findMany({
    where: { shopId, outcome: "evaluated", currency: shop.currency },
    orderBy: { orderedAt: "desc" },
    take: PREVIEW_ORDERS,
    select: { orderId: true, paidMinor: true },
  });
  if (recent.length === 0) return { ok: false, issues: [{ path: "orders", message: "there are no evaluated orders to preview on yet" }] };
  const answer = await planWhatIf(db, shopId, { plan, order_ids: recent.map((row) => row.orderId) });
  const body = answer.body as { totals?: { perOrderMinor: string }; errors?: { field: string; message: string }[] };
  if (answer.status !== 200 || !body.totals) {
    return { ok: false, issues: (body.errors ?? []).map((error) => ({ path: error.field.replace(/^plan\./, ""), message: error.message })) };
  }
  const inForce = recent.reduce((sum, row) => sum + row.paidMinor, 0n);
  return {
    ok: true,
    orders: recent.length,
    currency: shop.currency,
    draft: formatMinor(BigInt(body.totals.perOrderMinor), shop.currency),
    inForce: formatMinor(inForce, shop.currency),
  };
}
