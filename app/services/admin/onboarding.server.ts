import type { Db } from "~/db.server";
import { onboardingChecklist, type OnboardingChecklist } from "~/domain/onboarding/checklist";

/**
 * Theme editor deep link that opens the App embeds panel with our referral embed switched on for the merchant to
 * save (https://shopify.dev/docs/apps/build/online-store/theme-app-extensions/configuration#deep-linking): the
 * app's client id and the embed block's file name (extensions/referral-capture/blocks/referral-embed.liquid).
 */
export function themeEmbedDeepLink(shopDomain: string, apiKey: string): string {
  const url = new URL(`https://${shopDomain}/admin/themes/current/editor`);
  url.searchParams.set("context", "apps");
  url.searchParams.set("activateAppId", `${apiKey}/referral-embed`);
  return url.toString();
}

/** The dashboard's first-run checklist, counted from the shop's rows (no flag to tick). */
export async function shopOnboarding(db: Db, shopId: string): Promise<OnboardingChecklist> {
  const [publishedPlanVersions, commissionClasses, defaultClasses, skuMappings, referredOrders, pixelSignals, affiliates, payoutSettings, payoutMethods] =
    await Promise.all([
      db.commissionPlanVersion.count({ where: { shopId } }),
      db.commissionClass.count({ where: { shopId } }),
      db.commissionClass.count({ where: { shopId, isDefault: true } }),
      db.skuMapping.count({ where: { shopId } }),
      // Enough to know the embed works; take 1 keeps the count cheap at a million orders.
      db.order.findMany({ where: { shopId, referralCode: { not: null } }, select: { id: true }, take: 1 }).then((rows) => rows.length),
      db.pixelSignal.findMany({ where: { shopId }, select: { id: true }, take: 1 }).then((rows) => rows.length),
      db.distributor.findMany({ where: { shopId, isCompanyNode: false, redactedAt: null }, select: { id: true }, take: 1 }).then((rows) => rows.length),
      db.payoutSettings.findUnique({ where: { shopId }, select: { shopId: true } }),
      db.payoutMethod.count({ where: { shopId } }),
    ]);
  return onboardingChecklist({
    publishedPlanVersions,
    commissionClasses,
    defaultClass: defaultClasses > 0,
    skuMappings,
    referralSeen: referredOrders + pixelSignals > 0,
    affiliateEnrolled: affiliates > 0,
    payoutSettingsSaved: payoutSettings !== null,
    payoutMethods,
  });
}
