/**
 * Everything an order is evaluated with, in one round trip: the shop's commission settings, its classes, the
 * SKU mappings that can match the order's lines, the plan version that had started by the order's time, and
 * the order's attribution. (This runs once per order; separate queries cost more than the engine itself.)
 */
import type { CommissionCatalog, PlanVersionRef } from "~/domain/engine";
import { Prisma } from "~/generated/prisma/client";
import type { RawSqlClient } from "~/db/raw-sql.server";
import { candidatesFromJson, decideAttribution, type Attribution, type AttributionCandidate } from "~/domain/attribution/attribution";
import { attributionCandidatesSql } from "./attribution.server";
import { catalogFrom, matchKeysOf, type ClassRow, type MappingRow } from "./catalog.server";
import type { OrderForCommission } from "./order-input.server";
import { planVersionAt, type PlanVersionCandidate } from "./plan.server";
import { parseCommissionSettings, type CommissionSettings } from "./settings.server";

export interface CommissionContext {
  readonly settings: CommissionSettings;
  readonly planVersion: PlanVersionRef | null;
  readonly catalog: CommissionCatalog | null;
  readonly attribution: Attribution | null;
  /** Which attribution rule won and why (stored with the commission). */
  readonly attributionReason: string;
  /** What the attribution was chosen from, so a refused provisional sponsor move can decide again without it. */
  readonly attributionCandidates: readonly AttributionCandidate[];
}

export async function loadCommissionContext(tx: RawSqlClient, shopId: string, order: OrderForCommission): Promise<CommissionContext> {
  const [row] = await tx.$queryRaw<CommissionContextRow[]>`SELECT ${commissionContextColumns(shopId, order)}`;
  return commissionContextFrom(tx, shopId, order, row);
}

/** What commissionContextColumns yields (JSON already parsed by the driver). */
export interface CommissionContextRow {
  settings: unknown;
  classes: ClassRow[] | null;
  mappings: MappingRow[] | null;
  plan: PlanVersionCandidate | null;
  candidates: unknown;
}

type ContextInput = Pick<OrderForCommission, "platform" | "platformOrderId" | "orderedAt" | "engineOrder" | "customerPlatformId" | "referrals">;

/**
 * The context as the select list of one row (columns of CommissionContextRow), so a caller can also fold it into
 * a statement that does other work. Nothing in it depends on the order being stored: only on what it says.
 */
export function commissionContextColumns(shopId: string, order: ContextInput): Prisma.Sql {
  return Prisma.sql`
      (SELECT s."settings" FROM "Shop" s WHERE s."id" = ${shopId}::uuid) AS settings,
      (SELECT json_agg(json_build_object('key', c."key", 'name', c."name", 'pv', c."pv", 'cv', c."cv", 'isDefault', c."isDefault") ORDER BY c."key")
        FROM "CommissionClass" c WHERE c."shopId" = ${shopId}::uuid) AS classes,
      (SELECT json_agg(json_build_object('platform', m."platform", 'platformSku', m."platformSku", 'platformVariantId', m."platformVariantId", 'classKey', c."key") ORDER BY m."matchKey")
        FROM "SkuMapping" m JOIN "CommissionClass" c ON c."id" = m."classId"
        WHERE m."shopId" = ${shopId}::uuid AND m."platform" = ${order.platform}::"Platform" AND m."matchKey" = ANY(${matchKeysOf(order.engineOrder.lines)}::text[])) AS mappings,
      (SELECT json_build_object('id', p."id", 'version', p."version", 'effectiveFrom', to_char(p."effectiveFrom", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
        FROM "CommissionPlanVersion" p WHERE p."shopId" = ${shopId}::uuid AND p."effectiveFrom" <= ${order.orderedAt}
        ORDER BY p."effectiveFrom" DESC, p."version" DESC LIMIT 1) AS plan,
      ${attributionCandidatesSql(shopId, order)} AS candidates`;
}

/** The context from its row; the plan's rules come from the per-process cache, or one lookup through `client`. */
export async function commissionContextFrom(
  client: RawSqlClient,
  shopId: string,
  order: ContextInput,
  row: CommissionContextRow | undefined,
): Promise<CommissionContext> {
  const candidates = candidatesFromJson(row?.candidates);
  const decision = decideAttribution(order, candidates);
  return {
    settings: parseCommissionSettings(row?.settings, order.orderedAt),
    planVersion: row?.plan ? await planVersionAt(client, shopId, [row.plan], order.orderedAt) : null,
    catalog: catalogFrom(row?.classes ?? [], row?.mappings ?? []),
    attribution: decision.attribution,
    attributionReason: decision.reason,
    attributionCandidates: candidates,
  };
}
