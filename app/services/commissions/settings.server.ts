/**
 * The shop's commission settings, kept in Shop.settings (JSON) beside the ingest settings:
 *   includeShipping   add each line's share of shipping to its commission base (default false)
 *   includeTax        add each line's tax to its commission base (default false)
 *   refundWindowDays  commissions stay pending this long after the order, then become available (default 30)
 * Read when an order is evaluated and copied into its snapshot, so a later change never alters a past order.
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

/** A malformed value falls back to its default (and only that key): settings are edited by hand today. */
export function parseCommissionSettings(settings: unknown): CommissionSettings {
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
