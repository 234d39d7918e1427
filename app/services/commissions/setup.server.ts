/**
 * Setting a shop up for commissions: classes, SKU mappings, discount codes that stand for distributors, plan
 * versions and commission settings. The admin, the demo seed and the tests all go through these, and each
 * writes an audit row (who changed what money rule, and when).
 */
import { commissionClassSchema, parsePlanRules, planClassesMissingFrom, skuMappingSchema, type PlanRules, type VolumeRule } from "~/domain/engine";
import type { Platform } from "~/domain/platforms/normalized";
import type { Prisma } from "~/generated/prisma/client";
import { inTransaction, type DbOrTx } from "~/db/tx.server";
import { normalizeDiscountCode } from "~/domain/attribution/discount-code";
import { commissionSettingsPatchSchema, type CommissionSettings } from "./settings.server";

/** A line's volume is its net amount in major units unless the class says otherwise. */
const FULL_NET: VolumeRule = { kind: "share_of_net", percent: "100" };

export interface CommissionClassInput {
  /** The id plans pay on ("standard"). */
  readonly key: string;
  readonly name: string;
  readonly pv?: VolumeRule;
  readonly cv?: VolumeRule;
  /** Make it the class of every unmapped line (replacing the previous default). */
  readonly isDefault?: boolean;
}

/** Creates the class, or updates it when the key exists (so seeds can run twice). */
export function createCommissionClass(client: DbOrTx, shopId: string, input: CommissionClassInput, actor = "system") {
  const parsed = commissionClassSchema.parse({ id: input.key, name: input.name, pv: input.pv ?? FULL_NET, cv: input.cv ?? FULL_NET });
  return inTransaction(client, async (tx) => {
    if (input.isDefault) await tx.commissionClass.updateMany({ where: { shopId, isDefault: true, NOT: { key: parsed.id } }, data: { isDefault: false } });
    const data = { name: parsed.name, pv: parsed.pv, cv: parsed.cv, ...(input.isDefault ? { isDefault: true } : {}) };
    const row = await tx.commissionClass.upsert({
      where: { shopId_key: { shopId, key: parsed.id } },
      create: { shopId, key: parsed.id, ...data },
      update: data,
    });
    await audit(tx, shopId, actor, "commission_class.saved", "CommissionClass", row.id, {
      key: row.key,
      name: row.name,
      pv: parsed.pv,
      cv: parsed.cv,
      isDefault: row.isDefault,
    });
    return row;
  });
}

export interface SkuMappingInput {
  readonly platform: Platform;
  readonly sku?: string | null;
  readonly variantId?: string | null;
  /** The class key. */
  readonly classKey: string;
}

/** Maps a platform SKU, or (more specific) a variant id, to a class; remapping replaces the old class. */
export function mapSku(client: DbOrTx, shopId: string, input: SkuMappingInput, actor = "system") {
  const mapping = skuMappingSchema.parse({
    platform: input.platform,
    platformSku: input.sku ?? null,
    platformVariantId: input.variantId ?? null,
    classId: input.classKey,
  });
  return inTransaction(client, async (tx) => {
    const commissionClass = await tx.commissionClass.findUniqueOrThrow({ where: { shopId_key: { shopId, key: mapping.classId } }, select: { id: true } });
    const matchKey = mapping.platformVariantId !== null ? `variant:${mapping.platformVariantId}` : `sku:${mapping.platformSku}`;
    const row = await tx.skuMapping.upsert({
      where: { shopId_platform_matchKey: { shopId, platform: mapping.platform, matchKey } },
      create: {
        shopId,
        platform: mapping.platform,
        platformSku: mapping.platformSku,
        platformVariantId: mapping.platformVariantId,
        matchKey,
        classId: commissionClass.id,
      },
      update: { platformSku: mapping.platformSku, classId: commissionClass.id },
    });
    await audit(tx, shopId, actor, "sku_mapping.saved", "SkuMapping", row.id, { ...mapping });
    return row;
  });
}

/** Removes one mapping (its lines fall back to the default class from then on); false when the shop has no such row. */
export function unmapSku(client: DbOrTx, shopId: string, mappingId: string, actor = "system") {
  return inTransaction(client, async (tx) => {
    const row = await tx.skuMapping.findFirst({ where: { shopId, id: mappingId }, include: { commissionClass: { select: { key: true } } } });
    if (!row) return false;
    await tx.skuMapping.delete({ where: { id: row.id } });
    await tx.auditLog.create({
      data: {
        shopId,
        actor,
        action: "sku_mapping.deleted",
        entityType: "SkuMapping",
        entityId: row.id,
        before: { platform: row.platform, platformSku: row.platformSku, platformVariantId: row.platformVariantId, classId: row.commissionClass.key },
      },
    });
    return true;
  });
}

/** A coupon that stands for a distributor (attribution falls back to it when an order has no referral code). */
export function mapDiscountCode(client: DbOrTx, shopId: string, code: string, distributorId: string, actor = "system") {
  const normalized = normalizeDiscountCode(code);
  if (normalized === null) throw new RangeError(`"${code}" is not a discount code`);
  return inTransaction(client, async (tx) => {
    const distributor = await tx.distributor.findFirstOrThrow({ where: { id: distributorId, shopId }, select: { id: true } });
    const row = await tx.discountCodeMapping.upsert({
      where: { shopId_code: { shopId, code: normalized } },
      create: { shopId, code: normalized, distributorId: distributor.id },
      update: { distributorId: distributor.id },
    });
    await audit(tx, shopId, actor, "discount_code.mapped", "DiscountCodeMapping", row.id, { code: normalized, distributorId });
    return row;
  });
}

export interface PublishedPlanVersion {
  readonly id: string;
  readonly version: number;
  readonly effectiveFrom: Date;
  readonly rules: PlanRules;
  /** Classes the plan pays on that the shop does not have (not an error, but nothing is paid on them). */
  readonly missingClasses: readonly string[];
}

/**
 * Publishes the next version of the shop's plan, in force from `effectiveFrom`. The rules are validated
 * (parsePlanRules throws PlanValidationError naming each bad field) and never change afterwards; orders already
 * computed keep the version they were computed with.
 */
export function publishPlanVersion(client: DbOrTx, shopId: string, rules: unknown, effectiveFrom: Date | string, actor: string): Promise<PublishedPlanVersion> {
  const parsed = parsePlanRules(rules);
  const from = new Date(effectiveFrom);
  if (Number.isNaN(from.getTime())) throw new RangeError(`effectiveFrom "${String(effectiveFrom)}" is not a date`);
  return inTransaction(client, async (tx) => {
    // Version numbers are handed out one at a time per shop.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`commission-plan:${shopId}`}, 0))`;
    const latest = await tx.commissionPlanVersion.aggregate({ where: { shopId }, _max: { version: true } });
    const version = (latest._max.version ?? 0) + 1;
    const row = await tx.commissionPlanVersion.create({
      data: { shopId, version, effectiveFrom: from, rules: parsed as unknown as Prisma.InputJsonValue, publishedBy: actor },
    });
    const classes = await tx.commissionClass.findMany({ where: { shopId }, select: { key: true } });
    await audit(tx, shopId, actor, "commission_plan.published", "CommissionPlanVersion", row.id, {
      version,
      effectiveFrom: from.toISOString(),
      rules: parsed as unknown as Prisma.InputJsonValue,
    });
    return {
      id: row.id,
      version,
      effectiveFrom: from,
      rules: parsed,
      missingClasses: planClassesMissingFrom(
        parsed,
        classes.map((c) => c.key),
      ),
    };
  });
}

/** Changes some commission settings (validated), keeping every other key of Shop.settings. */
export function updateCommissionSettings(client: DbOrTx, shopId: string, patch: Partial<CommissionSettings>, actor: string) {
  const valid = commissionSettingsPatchSchema.parse(patch);
  return inTransaction(client, async (tx) => {
    const [before] = await tx.$queryRaw<{ settings: Prisma.JsonObject }[]>`
      SELECT "settings" FROM "Shop" WHERE "id" = ${shopId}::uuid FOR UPDATE`;
    if (!before) throw new RangeError(`no shop ${shopId}`);
    const settings = { ...before.settings, ...valid };
    await tx.shop.update({ where: { id: shopId }, data: { settings } });
    await audit(tx, shopId, actor, "commission_settings.updated", "Shop", shopId, valid);
  });
}

function audit(
  tx: Prisma.TransactionClient,
  shopId: string,
  actor: string,
  action: string,
  entityType: string,
  entityId: string,
  after: Prisma.InputJsonObject,
) {
  return tx.auditLog.create({ data: { shopId, actor, action, entityType, entityId, after } });
}
