/**
 * The atoms every outside input is checked with before it reaches the database: text PostgreSQL can store,
 * instants inside the range the calendar and the columns handle, and integers that fit a bigint column.
 * One definition, so the API door, the worker's normalizer and the admin forms refuse the same things.
 */
import { z } from "zod";

// PostgreSQL refuses U+0000 in text and jsonb; an unpaired UTF-16 surrogate has no UTF-8 form (it would be
// silently replaced, so what we store would not be what was sent).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_TEXT_MESSAGE = "must not contain NUL characters or unpaired surrogates (broken unicode)";

export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && !LONE_SURROGATE.test(text);
}

/** The path (`items.0.sku`) of the first string, key or value, in a JSON value that cannot be stored; null if none. */
export function findUnstorableText(value: unknown, path: readonly (string | number)[] = []): string | null {
  const here = () => path.map(String).join(".") || "(body)";
  if (typeof value === "string") return isStorableText(value) ? null : here();
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableText(item, [...path, index]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableText(key)) return [...path, key].map(String).join(".");
      const found = findUnstorableText(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** Trimmed, storable text of 1..max characters. */
export const storableText = (max: number) => z.string().trim().min(1).max(max).refine(isStorableText, { error: UNSTORABLE_TEXT_MESSAGE });

/**
 * Instants we accept: from the Unix epoch (the company node's start, before any distributor) to the end of
 * 2199. Year 0000 has no PostgreSQL form, and period arithmetic near year 9999 runs past what ISO text holds.
 */
export const EARLIEST_INSTANT = "1970-01-01T00:00:00.000Z";
export const LATEST_INSTANT = "2199-12-31T23:59:59.999Z";
const INSTANT_RANGE_MESSAGE = "must be between 1970-01-01 and 2199-12-31";

export function isSupportedInstant(ms: number): boolean {
  return Number.isFinite(ms) && ms >= Date.parse(EARLIEST_INSTANT) && ms <= Date.parse(LATEST_INSTANT);
}

/** An ISO 8601 instant with an offset ("2026-03-01T10:00:00Z"), inside the supported range. */
// `abort`: text that is not an instant gets that one error, not a second one about its range.
export const instantText = z.iso
  .datetime({ offset: true, abort: true })
  .refine((text) => isSupportedInstant(Date.parse(text)), { error: INSTANT_RANGE_MESSAGE });

/** A calendar day ("2026-03-01", UTC), inside the supported range. */
export const dayText = z.iso.date({ abort: true }).refine((text) => isSupportedInstant(Date.parse(`${text}T00:00:00Z`)), { error: INSTANT_RANGE_MESSAGE });

/** PostgreSQL's bigint: every amount in minor units is stored as one. */
export const MAX_BIGINT = 9_223_372_036_854_775_807n;

export function fitsBigint(value: bigint): boolean {
  return value <= MAX_BIGINT && value >= -MAX_BIGINT - 1n;
}
