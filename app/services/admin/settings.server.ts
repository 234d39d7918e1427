/**
 * The admin's Settings page: the same settings, services and audit rows as GET/PUT /api/v1/settings. Referral
 * and payout settings apply at once; commission base and hold window affect money, so a change to them is dated
 * (changeShopSettings appends it to the shop's dated changes, never in the past). Only the sections whose values
 * actually changed are written, so saving an untouched form audits nothing.
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import { formatMinor, parseDecimalToMinor, type CurrencyCode } from "~/domain/money";
import { dayText } from "~/domain/input-atoms";
import { getShopSettings } from "~/services/api/settings.server";
import { changeShopSettings, MAX_REFERRAL_COOKIE_DAYS, SettingsChangeError, type SettingsChange } from "~/services/commissions/settings-changes.server";
import { setPayoutSettings } from "~/services/payouts/methods.server";

const SETTINGS_ACTIONS = ["referral_settings.updated", "commission_settings.scheduled", "payout_settings.set", "commission_settings.updated"];

export async function settingsOverview(db: Db, shopId: string, now = new Date()) {
  const [settings, shop, history] = await Promise.all([
    getShopSettings(db, shopId, now),
    db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true, currencySource: true } }),
    db.auditLog.findMany({
      where: { shopId, action: { in: SETTINGS_ACTIONS } },
      orderBy: { createdAt: "desc" },
      take: 10,
      select: { id: true, action: true, actor: true, createdAt: true, after: true },
    }),
  ]);
  return {
    settings,
    currency: shop.currency,
    currencySource: shop.currencySource,
    minimum: formatMinor(BigInt(settings.payouts.minimum_minor), shop.currency as CurrencyCode),
    today: now.toISOString().slice(0, 10),
    history: history.map((row) => ({ id: row.id, action: row.action, actor: row.actor, at: row.createdAt.toISOString(), after: JSON.stringify(row.after) })),
  };
}

const form = z.object({
  param: z.string().trim(),
  cookieDays: z.coerce.number({ error: "must be a whole number of days" }).int({ error: "must be a whole number of days" }),
  attribution: z.enum(["last_click", "first_click"]),
  includeShipping: z.enum(["on", "off"]).default("off"),
  includeTax: z.enum(["on", "off"]).default("off"),
  holdDays: z.coerce.number({ error: "must be a whole number of days" }).int({ error: "must be a whole number of days" }),
  effectiveFrom: dayText.or(z.literal("")),
  minimum: z.string().trim(),
  schedule: z.enum(["manual", "weekly", "monthly"]),
});

export type SettingsOutcome =
  | { readonly ok: true; readonly message: string }
  | { readonly ok: false; readonly error: string; readonly fieldErrors: Readonly<Record<string, string>>; readonly values: Readonly<Record<string, string>> };

export async function saveSettings(db: Db, shopId: string, data: FormData, actor: string, now = new Date()): Promise<SettingsOutcome> {
  const values = Object.fromEntries([...data.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  const fail = (fieldErrors: Record<string, string>): SettingsOutcome => ({ ok: false, error: "The settings were not saved.", fieldErrors, values });
  const parsed = form.safeParse(values);
  if (!parsed.success) return fail(Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message])));
  const input = parsed.data;
  const errors: Record<string, string> = {};
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(input.param)) errors.param = "must be 1–32 letters, digits, '_' or '-'";
  if (input.cookieDays < 1 || input.cookieDays > MAX_REFERRAL_COOKIE_DAYS) errors.cookieDays = `must be 1–${MAX_REFERRAL_COOKIE_DAYS} days`;
  if (input.holdDays < 0 || input.holdDays > 3_650) errors.holdDays = "must be 0–3650 days";
  const { currency } = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } });
  let minimumMinor = 0n;
  try {
    minimumMinor = parseDecimalToMinor(input.minimum === "" ? "0" : input.minimum, currency as CurrencyCode);
    if (minimumMinor < 0n) errors.minimum = "must not be negative";
  } catch {
    errors.minimum = `must be an amount in ${currency}, e.g. 25.00`;
  }
  if (Object.keys(errors).length > 0) return fail(errors);

  const current = await getShopSettings(db, shopId, now);
  const change: { referral?: SettingsChange["referral"]; commission?: SettingsChange["commission"] } = {};
  const referral = { param: input.param, cookieDays: input.cookieDays, attribution: input.attribution };
  if (
    referral.param !== current.referral.param ||
    referral.cookieDays !== current.referral.cookie_days ||
    referral.attribution !== current.referral.attribution
  ) {
    change.referral = referral;
  }
  const patch = {
    ...((input.includeShipping === "on") !== current.commission.include_shipping ? { includeShipping: input.includeShipping === "on" } : {}),
    ...((input.includeTax === "on") !== current.commission.include_tax ? { includeTax: input.includeTax === "on" } : {}),
    ...(input.holdDays !== current.commission.hold_days ? { refundWindowDays: input.holdDays } : {}),
  };
  // A day means its start in UTC; today (or empty) means now, as the API's default.
  const today = now.toISOString().slice(0, 10);
  const effectiveFrom = input.effectiveFrom === "" || input.effectiveFrom === today ? now : new Date(`${input.effectiveFrom}T00:00:00Z`);
  if (Object.keys(patch).length > 0) change.commission = { patch, effectiveFrom };
  const payoutsChanged = minimumMinor.toString() !== current.payouts.minimum_minor || input.schedule !== current.payouts.schedule;
  if (!change.referral && !change.commission && !payoutsChanged) return { ok: true, message: "Nothing changed." };

  try {
    await changeShopSettings(db, shopId, change, actor, now);
  } catch (error) {
    if (error instanceof SettingsChangeError) return fail({ effectiveFrom: "must be today or later: orders already placed keep the settings of their day" });
    throw error;
  }
  if (payoutsChanged) {
    const row = await db.payoutSettings.findUnique({ where: { shopId } });
    await setPayoutSettings(
      db,
      shopId,
      {
        minimum_minor: minimumMinor,
        method_minimums: Object.fromEntries(Object.entries((row?.methodMinimums ?? {}) as Record<string, string>).map(([m, v]) => [m, BigInt(v)])),
        schedule: input.schedule,
        auto_approve: row?.autoApprove ?? false,
      },
      actor,
    );
  }
  const when = change.commission
    ? effectiveFrom.getTime() > now.getTime()
      ? ` Commission changes apply to orders placed from ${effectiveFrom.toISOString().slice(0, 10)}.`
      : " Commission changes apply to orders placed from now on."
    : "";
  return { ok: true, message: `Settings saved.${when}` };
}
