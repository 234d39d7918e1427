/**
 * Money in API responses: the exact minor units as a string (a JSON number would lose digits and invite
 * floats), the same amount as a plain decimal for display, and the currency. Never a float.
 */
import { formatMinor } from "~/domain/money";

export interface MoneyJson {
  readonly amount_minor: string;
  readonly amount: string;
  readonly currency: string;
}

export function moneyJson(amountMinor: bigint, currency: string): MoneyJson {
  return { amount_minor: amountMinor.toString(), amount: formatMinor(amountMinor, currency), currency };
}
