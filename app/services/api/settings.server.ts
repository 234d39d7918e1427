/**
 * GET/PUT /api/v1/settings: the shop's settings in one document — referral link (parameter, cookie days, first or
 * last click), commission base and hold window (dated changes: they affect money), payout threshold and
 * schedule. PUT changes only the keys it names; every change is audited (settings-changes.server.ts, and the
 * payouts service for the threshold).
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import { instantText } from "~/domain/input-atoms";
import { changeShopSettings, parseReferralSettings, referralSettingsSchema, SettingsChangeError } from "~/services/commissions/settings-changes.server";
import { commissionChangesOf, commissionSettingsSchema, parseCommissionSettings } from "~/services/commissions/settings.server";
import { payoutSettingsBody, setPayoutSettings } from "~/services/payouts/methods.server";
import type { StoredResponse } from "./idempotency.server";
import { asStored, fieldProblem, parseBody } from "./stored.server";

const referral = referralSettingsSchema.shape;
const commission = commissionSettingsSchema.shape;
const payouts = payoutSettingsBody.shape;

export const settingsBody = z.strictObject({
  /** Applies at once. */
  referral: z
    .strictObject({ param: referral.param.unwrap(), cookie_days: referral.cookieDays.unwrap(), attribution: referral.attribution.unwrap() })
    .partial()
    .optional(),
  /** Applies from `effective_from` (default now; never in the past) to orders placed from then on. */
  commission: z
    .strictObject({
      include_shipping: commission.includeShipping.unwrap(),
      include_tax: commission.includeTax.unwrap(),
      /** Days an order's commissions stay pending (the refund window) before they become available. */
      hold_days: commission.refundWindowDays.unwrap(),
      effective_from: instantText,
    })
    .partial()
    .optional(),
  /** Applies at once: the threshold decides when an earned balance is paid, not how much was earned. */
  payouts: z.strictObject({ minimum_minor: payouts.minimum_minor.unwrap(), schedule: payouts.schedule.unwrap() }).partial().optional(),
});

export async function getShopSettings(db: Db, shopId: string, now = new Date()) {
  const [shop, payout] = await Promise.all([
    db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } }),
    db.payoutSettings.findUnique({ where: { shopId } }),
  ]);
  const ref = parseReferralSettings(shop.settings);
  const inForce = parseCommissionSettings(shop.settings, now);
  return {
    referral: { param: ref.param, cookie_days: ref.cookieDays, attribution: ref.attribution },
    commission: { include_shipping: inForce.includeShipping, include_tax: inForce.includeTax, hold_days: inForce.refundWindowDays },
    commission_changes: commissionChangesOf(shop.settings).map((change) => ({
      effective_from: change.effectiveFrom,
      status: Date.parse(change.effectiveFrom) > now.getTime() ? "scheduled" : "in_force",
      ...(change.includeShipping !== undefined ? { include_shipping: change.includeShipping } : {}),
      ...(change.includeTax !== undefined ? { include_tax: change.includeTax } : {}),
      ...(change.refundWindowDays !== undefined ? { hold_days: change.refundWindowDays } : {}),
      changed_by: change.changedBy,
      changed_at: change.changedAt,
    })),
    payouts: { minimum_minor: (payout?.minimumMinor ?? 0n).toString(), schedule: payout?.schedule ?? "manual" },
  };
}

export function putShopSettingsRequest(db: Db, shopId: string, tokenId: string, body: unknown, now = new Date()): Promise<StoredResponse> {
  return asStored(async () => {
    const input = parseBody(settingsBody, body, "The settings have invalid fields.");
    const actor = `api:${tokenId}`;
    const { effective_from: effectiveFrom, include_shipping: includeShipping, include_tax: includeTax, hold_days: refundWindowDays } = input.commission ?? {};
    try {
      await changeShopSettings(
        db,
        shopId,
        {
          ...(input.referral
            ? { referral: { ...definedOnly({ param: input.referral.param, cookieDays: input.referral.cookie_days, attribution: input.referral.attribution }) } }
            : {}),
          ...(input.commission
            ? {
                commission: {
                  patch: definedOnly({ includeShipping, includeTax, refundWindowDays }),
                  effectiveFrom: effectiveFrom ? new Date(effectiveFrom) : now,
                },
              }
            : {}),
        },
        actor,
        now,
      );
    } catch (error) {
      if (error instanceof SettingsChangeError) throw fieldProblem([error.field], error.message, "The settings have invalid fields.");
      throw error;
    }
    if (input.payouts && Object.keys(input.payouts).length > 0) {
      const current = await db.payoutSettings.findUnique({ where: { shopId } });
      await setPayoutSettings(
        db,
        shopId,
        {
          minimum_minor: input.payouts.minimum_minor ?? current?.minimumMinor ?? 0n,
          method_minimums: Object.fromEntries(
            Object.entries((current?.methodMinimums ?? {}) as Record<string, string>).map(([method, minimum]) => [method, BigInt(minimum)]),
          ) as z.output<typeof payoutSettingsBody>["method_minimums"],
          schedule: input.payouts.schedule ?? (current?.schedule as "manual" | "weekly" | "monthly" | undefined) ?? "manual",
          auto_approve: current?.autoApprove ?? false,
        },
        actor,
      );
    }
    return { status: 200, body: await getShopSettings(db, shopId, now) };
  });
}

function definedOnly<T extends Record<string, unknown>>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
