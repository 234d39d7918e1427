/**
 * Platform timestamps → ISO 8601 in UTC ("2022-01-01T00:00:00.000Z").
 *
 * Shopify sends an offset ("2021-12-31T19:00:00-05:00"). WooCommerce's `*_gmt` fields and Magento's
 * `created_at` ("2017-08-21 22:22:19") carry no zone but are stored in UTC, so a zone-less value is UTC.
 * The pattern is checked first because Date parsing alone accepts far too much ("1", "March 7").
 */
import type { Fields } from "./fields";

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export function toUtcIso(text: string): string | null {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second = "00", fraction = "", zone = "Z"] = match;
  const milliseconds = `${fraction.slice(1)}000`.slice(0, 3);
  const offset = zone.toUpperCase() === "Z" ? "Z" : zone.replace(/^([+-]\d{2}):?(\d{2})$/, "$1:$2");
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return null;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${milliseconds}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function timestamp(fields: Fields, key: string): string {
  const value = optionalTimestamp(fields, key);
  if (value === null) fields.fail(key, "is required");
  return value;
}

export function optionalTimestamp(fields: Fields, key: string): string | null {
  const text = fields.optionalString(key);
  if (text === null) return null;
  const iso = toUtcIso(text);
  if (iso === null) fields.fail(key, `"${text}" is not an ISO 8601 timestamp`);
  return iso;
}

// Date would quietly roll 2021-02-30 over to March 2nd; a real timestamp never needs that.
function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * The first of `keys` that holds a timestamp, else `deliveredAt` (CLI sample deliveries send nulls), else
 * a NormalizationError naming the first key.
 */
export function timestampOrDelivery(fields: Fields, keys: readonly string[], deliveredAt: string | undefined): string {
  for (const key of keys) {
    const value = optionalTimestamp(fields, key);
    if (value !== null) return value;
  }
  const fallback = deliveredAt === undefined ? null : toUtcIso(deliveredAt);
  if (fallback === null) fields.fail(keys[0] ?? "(timestamp)", "is required");
  return fallback;
}
