/**
 * What the admin's Plans page shows and does: the shop's plan versions (which one is in force now), its
 * commission classes, and publishing a new version from the JSON a merchant typed. Publishing goes through
 * publishPlanVersion, the same path the demo seed and the tests use, so the page adds no rule of its own.
 */
import { findUnstorableText, isSupportedInstant, UNSTORABLE_TEXT_MESSAGE } from "~/domain/input-atoms";
import { planInForce, PlanValidationError, type PlanIssue, type PlanRules } from "~/domain/engine";
import { publishPlanVersion } from "~/services/commissions/setup.server";
import { parseCommissionSettings, type CommissionSettings } from "~/services/commissions/settings.server";
import type { Db } from "~/db.server";
import { formatMinor } from "~/domain/money";

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

/** A past order the what-if can replay a draft on. */
export interface PreviewableOrder {
  readonly orderId: string;
  readonly label: string;
  readonly orderedAt: string;
  readonly paid: string;
}

export interface PlansOverview {
  readonly versions: readonly PlanVersionSummary[];
  readonly classes: readonly CommissionClassSummary[];
  readonly settings: CommissionSettings;
  readonly currency: string;
  readonly recentOrders: readonly PreviewableOrder[];
}

/** How many recent orders the page offers to preview on. */
const OFFERED_ORDERS = 20;

export async function plansOverview(db: Db, shopId: string, now = new Date()): Promise<PlansOverview> {
  const [versions, classes, shop] = await Promise.all([
    db.commissionPlanVersion.findMany({ where: { shopId }, orderBy: { version: "desc" } }),
    db.commissionClass.findMany({
      where: { shopId },
      orderBy: { key: "asc" },
      select: { key: true, name: true, isDefault: true, _count: { select: { mappings: true } } },
    }),
    db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true, currency: true } }),
  ]);
  const recent = await db.commission.findMany({
    where: { shopId, outcome: "evaluated" },
    orderBy: { orderedAt: "desc" },
    take: OFFERED_ORDERS,
    select: { orderId: true, orderedAt: true, paidMinor: true, currency: true, order: { select: { platformOrderId: true, orderNumber: true } } },
  });
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
    currency: shop.currency,
    recentOrders: recent.map((row) => ({
      orderId: row.orderId,
      // Numbers can repeat across platforms and imports; the platform's id tells two orders apart.
      label: row.order.orderNumber ? `#${row.order.orderNumber.replace(/^#/, "")} (${row.order.platformOrderId})` : row.order.platformOrderId,
      orderedAt: row.orderedAt.toISOString(),
      paid: `${formatMinor(row.paidMinor, row.currency)} ${row.currency}`,
    })),
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
