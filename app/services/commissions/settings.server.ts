/**
 * The shop's commission settings, kept in Shop.settings (JSON) beside the ingest settings:
 *   includeShipping   add each line's share of shipping to its commission base (default false)
 *   includeTax        add each line's tax to its commission base (default false)
 *   refundWindowDays  commissions stay pending this long after the order, then become available (default 30)
 * Read when an order is evaluated and copied into its snapshot, so a later change never alters a past order.
 *
 * Changes made through the settings API are effective from an instant (`commissionChanges`, a list of patches
 * with `effectiveFrom`): the settings of an order are the keys above with every change in force at the order's
 * time applied on top, in effective order. A webhook that arrives late is therefore paid with the settings of
 * the day its order was placed, not those of the day it arrived.
 */
import { z } from "zod";
import type { ShopCommissionSettings } from "~/domain/engine";

export const DEFAULT_REFUND_WINDOW_DAYS = 30;

export const commissionSettingsSchema = z.object({
  includeShipping: z.boolean().default(false),
  includeTax: z.boolean().default(false),
  refundWindowDays: z.int().min(0).max(3_650).default(DEFAULT_REFUND_WINDOW_DAYS),
});

export interface CommissionSettings extends ShopCommissionSettings {
  readonly refundWindowDays: number;
}

/** One dated change: only the keys it sets, in force from `effectiveFrom` (ISO instant) on. */
export const commissionChangeSchema = commissionSettingsSchema.partial().extend({
  effectiveFrom: z.iso.datetime({ offset: true }),
  changedBy: z.string(),
  changedAt: z.iso.datetime({ offset: true }),
});
export type CommissionChange = z.infer<typeof commissionChangeSchema>;

/** The shop's dated changes (malformed entries skipped), oldest effective first; equal instants keep their order. */
export function commissionChangesOf(settings: unknown): CommissionChange[] {
  const raw = settings && typeof settings === "object" ? (settings as Record<string, unknown>).commissionChanges : undefined;
  if (!Array.isArray(raw)) return [];
  const changes = raw.flatMap((entry) => {
    const parsed = commissionChangeSchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
  return changes
    .map((change, index) => ({ change, index, at: Date.parse(change.effectiveFrom) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ change }) => change);
}

/**
 * The settings in force at `at` (default now). A malformed value falls back to its default (and only that key):
 * the base keys may have been edited by hand.
 */
export function parseCommissionSettings(settings: unknown, at: Date = new Date()): CommissionSettings {
  let current = parseBaseSettings(settings);
  for (const change of commissionChangesOf(settings)) {
    if (Date.parse(change.effectiveFrom) > at.getTime()) break;
    current = {
      includeShipping: change.includeShipping ?? current.includeShipping,
      includeTax: change.includeTax ?? current.includeTax,
      refundWindowDays: change.refundWindowDays ?? current.refundWindowDays,
    };
  }
  return current;
}

function parseBaseSettings(settings: unknown): CommissionSettings {
  const source = settings && typeof settings === "object" ? (settings as Record<string, unknown>) : {};
  const { shape } = commissionSettingsSchema;
  const includeShipping = shape.includeShipping.safeParse(source.includeShipping);
  const includeTax = shape.includeTax.safeParse(source.includeTax);
  const refundWindowDays = shape.refundWindowDays.safeParse(source.refundWindowDays);
  return {
    includeShipping: includeShipping.success ? includeShipping.data : false,
    includeTax: includeTax.success ? includeTax.data : false,
    refundWindowDays: refundWindowDays.success ? refundWindowDays.data : DEFAULT_REFUND_WINDOW_DAYS,
  };
}
