/**
 * The small zod schemas every plan component is built from: ids, decimal percentages, minor units, volume
 * points, rates. Every number that decides money is a decimal string, never a JSON float.
 */
import { z } from "zod";
import { decimalAtMost } from "./decimal";

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const identifierMessage = "must be 1–63 letters, digits, '_', '.' or '-', starting with a letter or digit";

/** Rule ids end up in idempotency keys and commission lines; keep them short and plain. */
export const ruleIdSchema = z.string({ error: "must be a string" }).regex(IDENTIFIER, { error: identifierMessage });
export const classIdSchema = z.string({ error: "must be a string" }).regex(IDENTIFIER, { error: identifierMessage });
export const rankIdSchema = z.string({ error: "must be a string" }).regex(IDENTIFIER, { error: identifierMessage });

const PERCENT_TEXT = /^\d{1,3}(\.\d{1,6})?$/;

// zod runs every check even after one failed: the regex aborts, and the limit only reads text the regex
// accepted ("NaN", "-5", "1e3" or "6%" would otherwise reach the decimal parser and throw, a 500 not a field error).
export const percentTextSchema = z
  .string({ error: 'must be a decimal string such as "12.5"' })
  .regex(PERCENT_TEXT, { error: 'must be a decimal string such as "12.5" (at most 6 decimals)', abort: true })
  .refine((text) => !PERCENT_TEXT.test(text) || decimalAtMost(text, 100n), { error: "must not exceed 100" });

export const minorUnitsTextSchema = z
  .string({ error: 'must be a string of minor units such as "250"' })
  .regex(/^\d{1,15}$/, { error: 'must be a whole number of minor units as a string, such as "250"' });

export const currencySchema = z
  .string({ error: "must be an ISO 4217 code" })
  .regex(/^[A-Z]{3}$/, { error: 'must be an upper-case ISO 4217 code such as "USD"' });

/** An amount of money in one currency, e.g. a bonus per pair or a minimum payout. */
export const moneyAmountSchema = z.strictObject({ amountMinor: minorUnitsTextSchema, currency: currencySchema });

/** Volume in points as decimal text ("100", "22.5"); the engine keeps hundredths of a point (VOLUME_SCALE). */
export const volumePointsSchema = z
  .string({ error: 'must be a decimal string of points such as "100"' })
  .regex(/^\d{1,12}(\.\d{1,2})?$/, { error: 'must be a decimal string of points such as "100" (at most 2 decimals)' });

export const levelCountSchema = (max: number) =>
  z
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be at least 1" })
    .max(max, { error: `must be at most ${max}` });

export const compressionSchema = z.enum(["dynamic", "none"], { error: 'must be "dynamic" or "none"' });

/**
 * A share of the line's commission base, a fixed amount per unit sold or once per order (in one currency), or
 * a share of the commission another level earned on the same line ("relative" rates, see rates.ts).
 */
export const rateSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("percent"), percent: percentTextSchema }),
    z.strictObject({ kind: z.literal("fixed_per_unit"), amountMinor: minorUnitsTextSchema, currency: currencySchema }),
    /** Once per order and level for the class, spread over the order's lines of that class by their base. */
    z.strictObject({ kind: z.literal("fixed_per_order"), amountMinor: minorUnitsTextSchema, currency: currencySchema }),
    /** `of` "level_below": of what the level just below earned (a cascade); "level_1": of what level 1 earned. */
    z.strictObject({
      kind: z.literal("percent_of_commission"),
      percent: percentTextSchema,
      of: z.enum(["level_below", "level_1"], { error: 'must be "level_below" or "level_1"' }),
    }),
  ],
  {
    error: (issue) => (issue.code === "invalid_union" ? 'must be "percent", "fixed_per_unit", "fixed_per_order" or "percent_of_commission"' : undefined),
  },
);

/** Per commission class, the rate of level 1, 2, 3…; a class missing here (or a shorter list) pays nothing there. */
export const levelRatesSchema = z.record(classIdSchema, z.array(rateSchema).min(1, { error: "must list at least the level 1 rate" }));

export type Rate = z.infer<typeof rateSchema>;
