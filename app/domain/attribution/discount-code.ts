/**
 * Discount codes compare the way the platforms compare them: case-insensitively (Shopify, WooCommerce and
 * Magento all treat "jane10" and "JANE10" as one coupon). Unlike referral codes, punctuation is part of a coupon.
 */
const MAX_DISCOUNT_CODE_LENGTH = 255;

export function normalizeDiscountCode(code: string): string | null {
  const normalized = code.normalize("NFKC").trim().toUpperCase();
  return normalized === "" || normalized.length > MAX_DISCOUNT_CODE_LENGTH ? null : normalized;
}
