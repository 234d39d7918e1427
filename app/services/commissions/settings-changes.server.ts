/**
 * Changing the shop's settings, each change audited:
 *   - commission settings (commission base with or without shipping and tax, hold window) affect money, so a
 *     change is DATED: appended to Shop.settings.commissionChanges, in force from its instant on (never earlier
 *     than now: an order already placed keeps the settings of its day, settings.server.ts folds them);
 *   - referral settings (the link parameter, the cookie lifetime, first or last click) apply at once: they only
 *     decide which code a future cart carries. Kept in Shop.settings.referral.
 */
import { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import { inTransaction, type DbOrTx } from "~/db/tx.server";
import { commissionChangesOf, type commissionSettingsSchema, type CommissionChange } from "./settings.server";

/** Browsers cap cookie lifetimes at 400 days (the theme embed clamps to it too). */
export const MAX_REFERRAL_COOKIE_DAYS = 400;

export const referralSettingsSchema = z.object({
  param: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, { error: "must be 1–32 letters, digits, '_' or '-'" })
    .default("ref"),
  cookieDays: z.int().min(1).max(MAX_REFERRAL_COOKIE_DAYS).default(30),
  attribution: z.enum(["last_click", "first_click"]).default("last_click"),
});
export type ReferralSettings = z.infer<typeof referralSettingsSchema>;

/** A malformed stored value falls back to its default, key by key. */
export function parseReferralSettings(settings: unknown): ReferralSettings {
  const raw = settings && typeof settings === "object" ? (settings as Record<string, unknown>).referral : undefined;
  const source = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const { shape } = referralSettingsSchema;
  return {
    param: shape.param.safeParse(source.param).data ?? "ref",
    cookieDays: shape.cookieDays.safeParse(source.cookieDays).data ?? 30,
    attribution: shape.attribution.safeParse(source.attribution).data ?? "last_click",
  };
}

/** How far behind the server clock a caller's "now" may be before it counts as the past. */
const CLOCK_SKEW_MS = 60_000;

export class SettingsChangeError extends RangeError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "SettingsChangeError";
  }
}

export interface SettingsChange {
  readonly referral?: Partial<ReferralSettings>;
  readonly commission?: { readonly patch: Partial<z.infer<typeof commissionSettingsSchema>>; readonly effectiveFrom: Date };
}

async function lockedSettings(tx: Prisma.TransactionClient, shopId: string): Promise<Prisma.JsonObject> {
  const [row] = await tx.$queryRaw<{ settings: Prisma.JsonObject }[]>`SELECT "settings" FROM "Shop" WHERE "id" = ${shopId}::uuid FOR UPDATE`;
  if (!row) throw new RangeError(`no shop ${shopId}`);
  return row.settings ?? {};
}

/** Applies one request's changes in one transaction, with one audit row per kind of setting changed. */
export function changeShopSettings(client: DbOrTx, shopId: string, change: SettingsChange, actor: string, now = new Date()) {
  const commission = change.commission;
  if (commission && commission.effectiveFrom.getTime() < now.getTime() - CLOCK_SKEW_MS) {
    throw new SettingsChangeError("commission.effective_from", "must not be in the past: orders already placed keep the settings of their day");
  }
  return inTransaction(client, async (tx) => {
    const settings = await lockedSettings(tx, shopId);
    const next: Prisma.JsonObject = { ...settings };
    const audits: Prisma.AuditLogCreateManyInput[] = [];
    if (change.referral && Object.keys(change.referral).length > 0) {
      const before = parseReferralSettings(settings);
      const after = { ...before, ...change.referral };
      next.referral = after;
      audits.push({ shopId, actor, action: "referral_settings.updated", entityType: "Shop", entityId: shopId, before, after });
    }
    if (commission && Object.keys(commission.patch).length > 0) {
      const entry: CommissionChange = {
        ...commission.patch,
        effectiveFrom: new Date(Math.max(commission.effectiveFrom.getTime(), now.getTime())).toISOString(),
        changedBy: actor,
        changedAt: now.toISOString(),
      };
      next.commissionChanges = [...commissionChangesOf(settings), entry] as unknown as Prisma.JsonArray;
      audits.push({
        shopId,
        actor,
        action: "commission_settings.scheduled",
        entityType: "Shop",
        entityId: shopId,
        after: entry as unknown as Prisma.InputJsonObject,
      });
    }
    if (audits.length === 0) return;
    await tx.shop.update({ where: { id: shopId }, data: { settings: next } });
    await tx.auditLog.createMany({ data: audits });
  });
}
