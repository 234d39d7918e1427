/**
 * The Plans page's what-if: a draft replayed on chosen past orders (or the latest ones) or on a typed basket,
 * shown per distributor and rule beside what the versions in force paid. Past orders compare with what their
 * stored evaluation paid; a basket has no stored evaluation, so the version in force now is replayed on it too.
 * Everything goes through planWhatIf, which runs in a READ ONLY transaction: a preview writes nothing.
 */
import type { Db } from "~/db.server";
import { evaluationFromJson, planInForce, validatePlanRules, type PlanIssue } from "~/domain/engine";
import { formatMinor } from "~/domain/money";
import { previewRows, previewTotals, type PaidLine } from "~/domain/plan-builder/preview-rows";
import { planWhatIf } from "~/services/periods/what-if.server";

/** How many of the shop's latest evaluated orders a preview replays when none is chosen. */
export const PREVIEW_ORDERS = 50;

export interface PreviewBasket {
  readonly referralCode: string;
  readonly sku: string;
  readonly quantity: string;
  readonly unitPrice: string;
}

export interface PreviewRequest {
  readonly rulesText: string;
  /** Our order ids; empty: the latest PREVIEW_ORDERS evaluated orders. Ignored with a basket. */
  readonly orderIds: readonly string[];
  readonly basket?: PreviewBasket | undefined;
}

export interface PreviewTableRow {
  readonly distributor: string;
  readonly rule: string;
  readonly draft: string;
  readonly inForce: string;
}

export type PreviewOutcome =
  | {
      readonly ok: true;
      readonly source: "orders" | "basket";
      readonly orders: number;
      readonly currency: string;
      readonly draft: string;
      readonly inForce: string;
      readonly rows: readonly PreviewTableRow[];
    }
  | { readonly ok: false; readonly issues: readonly PlanIssue[] };

type WhatIfBody = { orders?: { lines: { distributorId: string; rule: string; amountMinor: string }[] }[]; errors?: { field: string; message: string }[] };

function failed(body: WhatIfBody): PreviewOutcome {
  return {
    ok: false,
    issues: (body.errors ?? []).map((error) => ({ path: error.field.replace(/^plan\./, "").replace(/^orders\[0\]\./, "basket."), message: error.message })),
  };
}

function linesOf(body: WhatIfBody): PaidLine[] {
  return (body.orders ?? []).flatMap((order) =>
    order.lines.map((line) => ({ distributorId: line.distributorId, rule: line.rule, amountMinor: BigInt(line.amountMinor) })),
  );
}

export async function previewPlan(db: Db, shopId: string, request: PreviewRequest, now = new Date()): Promise<PreviewOutcome> {
  let plan: unknown;
  try {
    plan = JSON.parse(request.rulesText);
  } catch (error) {
    return { ok: false, issues: [{ path: "rules", message: `is not valid JSON (${(error as Error).message})` }] };
  }
  // The draft's own mistakes first, with or without orders to preview on: they are what the merchant can fix now.
  const validation = validatePlanRules(plan);
  if (!validation.ok) return { ok: false, issues: validation.issues };
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } });

  let draftLines: PaidLine[];
  let inForceLines: PaidLine[];
  let orders: number;
  if (request.basket) {
    const basket = basketOrder(request.basket, shop.currency, now);
    const draft = await planWhatIf(db, shopId, { plan, orders: [basket] }, now);
    if (draft.status !== 200) return failed(draft.body as WhatIfBody);
    draftLines = linesOf(draft.body as WhatIfBody);
    inForceLines = [];
    const current = await versionInForce(db, shopId, now);
    if (current) {
      const paid = await planWhatIf(db, shopId, { plan: current, orders: [basket] }, now);
      if (paid.status === 200) inForceLines = linesOf(paid.body as WhatIfBody);
    }
    orders = 1;
  } else {
    const recent = await db.commission.findMany({
      where: { shopId, outcome: "evaluated", currency: shop.currency, ...(request.orderIds.length > 0 ? { orderId: { in: [...request.orderIds] } } : {}) },
      orderBy: { orderedAt: "desc" },
      take: PREVIEW_ORDERS,
      select: { orderId: true, evaluation: true },
    });
    if (recent.length === 0) return { ok: false, issues: [{ path: "orders", message: "there are no evaluated orders to preview on yet" }] };
    const answer = await planWhatIf(db, shopId, { plan, order_ids: recent.map((row) => row.orderId) }, now);
    if (answer.status !== 200) return failed(answer.body as WhatIfBody);
    draftLines = linesOf(answer.body as WhatIfBody);
    inForceLines = recent.flatMap((row) => (row.evaluation === null ? [] : evaluationFromJson(row.evaluation).lines));
    orders = recent.length;
  }

  const rows = previewRows(draftLines, inForceLines);
  const names = await distributorLabels(db, shopId, [...new Set(rows.map((row) => row.distributorId))]);
  const totals = previewTotals(rows);
  const money = (minor: bigint) => formatMinor(minor, shop.currency);
  return {
    ok: true,
    source: request.basket ? "basket" : "orders",
    orders,
    currency: shop.currency,
    draft: money(totals.draftMinor),
    inForce: money(totals.inForceMinor),
    rows: rows.map((row) => ({
      distributor: names.get(row.distributorId) ?? row.distributorId,
      rule: row.rule,
      draft: money(row.draftMinor),
      inForce: money(row.inForceMinor),
    })),
  };
}

/** The basket as the seed API's order, so the what-if normalizes and attributes it as the worker would. */
function basketOrder(basket: PreviewBasket, currency: string, now: Date): unknown {
  const quantity = /^\d{1,7}$/.test(basket.quantity.trim()) ? Number(basket.quantity.trim()) : basket.quantity;
  return {
    platform_order_id: `what-if-${now.getTime()}`,
    ordered_at: now.toISOString(),
    currency,
    ...(basket.referralCode.trim() === "" ? {} : { referrer_id: basket.referralCode.trim() }),
    items: [{ sku: basket.sku.trim(), quantity, unit_price: basket.unitPrice.trim() }],
  };
}

async function versionInForce(db: Db, shopId: string, now: Date): Promise<unknown> {
  const versions = await db.commissionPlanVersion.findMany({ where: { shopId }, select: { id: true, version: true, effectiveFrom: true, rules: true } });
  const current = planInForce(
    versions.map((row) => ({ id: row.id, version: row.version, effectiveFrom: row.effectiveFrom.toISOString() })),
    now.toISOString(),
  );
  return versions.find((row) => row.id === current?.id)?.rules ?? null;
}

async function distributorLabels(db: Db, shopId: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.distributor.findMany({ where: { shopId, id: { in: [...ids] } }, select: { id: true, code: true, name: true } });
  return new Map(rows.map((row) => [row.id, row.name ? `${row.code} (${row.name})` : row.code]));
}
