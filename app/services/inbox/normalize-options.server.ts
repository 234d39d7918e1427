import type { NormalizeOptions } from "~/domain/platforms/adapter";

interface ConnectionSettings {
  referralKeys?: string[];
  paidStatuses?: string[];
}

/**
 * What a payload does not say about itself: the store's referral keys and paid statuses (from the settings of
 * its connection, or of the shop for Shopify), the delivery time.
 */
export function normalizeOptionsFrom(sourceSettings: unknown, receivedAt: Date): NormalizeOptions {
  const options: { -readonly [K in keyof NormalizeOptions]: NormalizeOptions[K] } = {
    deliveredAt: receivedAt.toISOString(),
  };
  const settings = (sourceSettings ?? {}) as ConnectionSettings;
  if (Array.isArray(settings.referralKeys) && settings.referralKeys.length > 0) options.referralKeys = settings.referralKeys;
  if (Array.isArray(settings.paidStatuses) && settings.paidStatuses.length > 0) options.paidStatuses = settings.paidStatuses;
  return options;
}
