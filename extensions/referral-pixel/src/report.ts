/**
 * What the pixel sends when a checkout completes: the shop, the order id and the referral code this browser
 * held, or nothing. Pure, so it is tested without Shopify's sandbox (report.test.ts); src/index.js is the glue.
 *
 * The code comes from the checkout's own attributes first (the cart attribute the theme embed wrote, which the
 * order also carries), else from the referral cookie the embed set (only where the visitor allowed it: see
 * extensions/referral-capture). Codes are checked like the embed checks them; anything else sends nothing.
 */
const CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface CheckoutCompletedEvent {
  readonly data?: {
    readonly checkout?: {
      readonly order?: { readonly id?: string | null } | null;
      readonly attributes?: readonly { readonly key?: string; readonly value?: string }[] | null;
    } | null;
  } | null;
}

export interface PixelReport {
  readonly shop: string;
  readonly order_id: string;
  readonly code: string;
}

function sanitize(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const code = raw.trim();
  return CODE_PATTERN.test(code) ? code : null;
}

export function referralReport(
  event: CheckoutCompletedEvent,
  shopDomain: string | null | undefined,
  cookieCode: string | null | undefined,
  attributeKey = "upline_ref",
): PixelReport | null {
  const checkout = event.data?.checkout;
  const orderId = checkout?.order?.id;
  if (!shopDomain || typeof orderId !== "string" || orderId === "") return null;
  const fromAttributes = sanitize(checkout?.attributes?.find((attribute) => attribute.key === attributeKey)?.value);
  const code = fromAttributes ?? sanitize(cookieCode);
  return code ? { shop: shopDomain, order_id: orderId, code } : null;
}

/** The report endpoint under the app's URL from the pixel's settings; null for anything but an https URL. */
export function reportUrl(appUrl: unknown): string | null {
  if (typeof appUrl !== "string") return null;
  try {
    const url = new URL("/pixel/shopify", appUrl);
    return url.protocol === "https:" ? url.toString() : null;
  } catch {
    return null;
  }
}
