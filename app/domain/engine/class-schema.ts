/**
 * Commission classes as the admin edits them (zod, like plans): an id, a name, and how much personal and
 * commissionable volume (PV / CV) one line of that class generates. Volume feeds ranks and period bonuses;
 * the money commission base is the net line amount (commission-base.ts).
 */
import { z } from "zod";
import { classIdSchema, percentTextSchema } from "./plan-schema";
import { PLATFORMS } from "../platforms/normalized";

/** Volume is counted in points with up to two decimals ("22.5" PV per unit). */
const pointsTextSchema = z
  .string({ error: 'must be a decimal string such as "22.5"' })
  .regex(/^\d{1,9}(\.\d{1,2})?$/, { error: 'must be a decimal string such as "22.5" (at most 2 decimals)' });

export const volumeRuleSchema = z.discriminatedUnion(
  "kind",
  [
    /** A fixed number of points per unit sold. */
    z.strictObject({ kind: z.literal("per_unit"), points: pointsTextSchema }),
    /** A share of the net line amount, one point per major currency unit (so 80% of 25.00 is 20 points). */
    z.strictObject({ kind: z.literal("share_of_net"), percent: percentTextSchema }),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? 'must be "per_unit" or "share_of_net"' : undefined) },
);

export const commissionClassSchema = z.strictObject({
  id: classIdSchema,
  name: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }),
  pv: volumeRuleSchema,
  cv: volumeRuleSchema,
});

/** Maps one platform product by variant id (most specific) or SKU; never by product name, which merchants rename. */
export const skuMappingSchema = z
  .strictObject({
    platform: z.enum(PLATFORMS, { error: `must be one of ${PLATFORMS.join(", ")}` }),
    platformSku: z.string().min(1).nullable(),
    platformVariantId: z.string().min(1).nullable(),
    classId: classIdSchema,
  })
  .refine((mapping) => mapping.platformSku !== null || mapping.platformVariantId !== null, {
    error: "needs a platformSku or a platformVariantId",
    path: ["platformSku"],
  });

export type VolumeRule = z.infer<typeof volumeRuleSchema>;
export type CommissionClass = z.infer<typeof commissionClassSchema>;
export type SkuMapping = z.infer<typeof skuMappingSchema>;
