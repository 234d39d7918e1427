/** Small bigint helpers the normalizers share; rounding never happens here (see money.ts). */

export function sumMinor(amounts: readonly bigint[]): bigint {
  return amounts.reduce((total, amount) => total + amount, 0n);
}

/** Platforms disagree on the sign of refunds and discounts (WooCommerce "-9.00", Magento -404.4); we store magnitudes. */
export function absMinor(amount: bigint): bigint {
  return amount < 0n ? -amount : amount;
}
