/**
 * The shop's genealogy settings, kept in Shop.settings under the `genealogy` key (beside the commission
 * settings), validated with zod, every field defaulted:
 *   placement         "none" (unilevel: the sponsor tree is the only tree), or a binary spillover rule, or a
 *                     forced matrix width × depth; read when a recruit is enrolled
 *   defaultSponsor    referral code of the node that takes recruits without a valid code; default: the shop's
 *                     company node, created on demand
 *   enrollCustomers   "all": every new platform customer becomes a distributor; "referred": only those who
 *                     signed up with a valid referral code; "none": customer events are only recorded
 *   provisionalSponsorDays
 *                     a customer enrolled under the default sponsor (no valid code) is provisional this many days:
 *                     their first order carrying an affiliate's code or coupon in that window moves them under that
 *                     affiliate from their enrolment (ADR 0008); 0 turns it off. Default 30
 */
import { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import type { PlacementStructure } from "~/domain/genealogy/placement";
import { inTransaction, type DbOrTx } from "~/db/tx.server";

const side = z.enum(["left", "right"]);

export const placementSettingSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }),
  z.object({
    kind: z.literal("binary"),
    spillover: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("extreme-outside"), leg: side }),
      z.object({ kind: z.literal("weaker-leg"), tieBreak: side.default("left") }),
      z.object({ kind: z.literal("breadth-first") }),
    ]),
  }),
  z.object({ kind: z.literal("matrix"), width: z.int().min(1).max(100), depth: z.int().min(1).max(100) }),
]);

export const genealogySettingsSchema = z.object({
  placement: placementSettingSchema.default({ kind: "none" }),
  defaultSponsor: z.string().min(1).max(64).nullable().default(null),
  enrollCustomers: z.enum(["all", "referred", "none"]).default("all"),
  provisionalSponsorDays: z.int().min(0).max(365).default(30),
});

export type GenealogySettings = z.infer<typeof genealogySettingsSchema>;
export type PlacementSetting = z.infer<typeof placementSettingSchema>;

/** A malformed value falls back to its default (and only that key), like the commission settings. */
export function parseGenealogySettings(settings: unknown): GenealogySettings {
  const root = settings && typeof settings === "object" ? (settings as Record<string, unknown>).genealogy : undefined;
  const source = root && typeof root === "object" ? (root as Record<string, unknown>) : {};
  const { shape } = genealogySettingsSchema;
  const field = <K extends keyof typeof shape>(key: K): z.infer<(typeof shape)[K]> => {
    const parsed = shape[key].safeParse(source[key]);
    return (parsed.success ? parsed.data : shape[key].parse(undefined)) as z.infer<(typeof shape)[K]>;
  };
  return {
    placement: field("placement"),
    defaultSponsor: field("defaultSponsor"),
    enrollCustomers: field("enrollCustomers"),
    provisionalSponsorDays: field("provisionalSponsorDays"),
  };
}

export async function genealogySettings(client: DbOrTx, shopId: string): Promise<GenealogySettings> {
  const shop = await client.shop.findUnique({ where: { id: shopId }, select: { settings: true } });
  return parseGenealogySettings(shop?.settings);
}

/** The placement rule for the domain, or null when the shop has no placement tree. */
export function placementStructure(setting: PlacementSetting): PlacementStructure | null {
  if (setting.kind === "none") return null;
  if (setting.kind === "matrix") return { kind: "matrix", width: setting.width, depth: setting.depth };
  return { kind: "binary", spillover: setting.spillover };
}

/** Slots per node: 2 for binary, the width for a matrix, null without a placement tree. */
export function placementWidth(setting: PlacementSetting): number | null {
  if (setting.kind === "none") return null;
  return setting.kind === "binary" ? 2 : setting.width;
}

/** Validates a patch and merges it into Shop.settings.genealogy, with an audit row. */
export function updateGenealogySettings(client: DbOrTx, shopId: string, patch: Partial<GenealogySettings>, actor: string) {
  const valid = genealogySettingsSchema.partial().strict().parse(patch);
  return inTransaction(client, async (tx) => {
    const [before] = await tx.$queryRaw<{ settings: Prisma.JsonObject }[]>`
      SELECT "settings" FROM "Shop" WHERE "id" = ${shopId}::uuid FOR UPDATE`;
    if (!before) throw new RangeError(`no shop ${shopId}`);
    const current = parseGenealogySettings(before.settings);
    const genealogy = { ...current, ...valid } as Prisma.InputJsonObject;
    await tx.shop.update({ where: { id: shopId }, data: { settings: { ...before.settings, genealogy } } });
    await tx.auditLog.create({
      data: { shopId, actor, action: "genealogy_settings.updated", entityType: "Shop", entityId: shopId, after: valid as Prisma.InputJsonObject },
    });
  });
}
