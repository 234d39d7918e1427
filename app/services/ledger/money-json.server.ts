/**
 * Money in API responses: the exact minor units as a string (a JSON number would lose digits and invite
 * floats), the same amount as a plain decimal for display, and the currency. Never a float.
 */
import { z } from "zod";
import { formatMinor } from "~/domain/money";

/** Its schema in the API document: every amount of every response body is one of these. */
export const moneySchema = z.strictObject({
  amount_minor: z.string().regex(/^-?\d+$/),
  amount: z.string().regex(/^-?\d+(\.\d+)?$/),
  currency: z.string(),
});

export type MoneyJson = z.input<typeof moneySchema>;

export function moneyJson(amountMinor: bigint, currency: string): MoneyJson {
  return { amount_minor: amountMinor.toString(), amount: formatMinor(amountMinor, currency), currency };
}
