/**
 * The year-end tax report (pure): what each payee was paid in a calendar year, per payout method and currency,
 * and which payees the merchant must send a Form 1099-NEC.
 *
 * United States rules (IRC §6041/§6041A as amended by the One Big Beautiful Bill Act, §70433):
 *   - a 1099-NEC is due for non-employee compensation of $600 or more in a year, $2,000 or more for payments
 *     made after 31 December 2025; from 2027 the $2,000 is indexed for inflation (not yet published: the
 *     table below says 2,000 until it is, and the report prints the threshold it applied);
 *   - payments made through a payment settlement entity (PayPal, Stripe) are reported by that entity on
 *     Form 1099-K, not by the merchant, so only the merchant's own rails count toward the threshold: bank
 *     transfers (the CSV file) and Shopify store credit.
 * Only USD amounts count (the form is in dollars and we never convert currencies); other currencies are
 * listed with their totals so nothing paid is missing from the report.
 */
import { csvLine } from "./csv";
import { formatMinor } from "../money";
import type { PayoutMethodKind } from "./plan";

/** Methods whose payments the merchant reports (no payment settlement entity in between). */
export const MERCHANT_REPORTED_METHODS: readonly PayoutMethodKind[] = ["bank", "store_credit"];

/** The 1099-NEC threshold in US cents for payments made in `year` ("or more"). */
export function necThresholdCents(year: number): bigint {
  return year <= 2025 ? 60_000n : 200_000n;
}

export interface PaidTotal {
  readonly distributorId: string;
  readonly code: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly taxFormStatus: "collected" | "not_collected";
  readonly method: PayoutMethodKind;
  readonly currency: string;
  readonly items: number;
  readonly totalMinor: bigint;
}

export const TAX_REPORT_HEADER = [
  "year",
  "distributor_id",
  "distributor_code",
  "name",
  "email",
  "method",
  "reported_by",
  "currency",
  "payments",
  "total",
  "payee_merchant_reported_usd",
  "nec_threshold_usd",
  "over_nec_threshold",
  "tax_form_status",
  "action_needed",
] as const;

export interface PayeeFlag {
  readonly distributorId: string;
  /** USD paid by the merchant's own rails in the year, in cents. */
  readonly merchantReportedCents: bigint;
  readonly overThreshold: boolean;
  /** Over the threshold and no W-9 on file: the merchant must collect it before filing. */
  readonly actionNeeded: boolean;
}

export function isMerchantReported(method: PayoutMethodKind): boolean {
  return MERCHANT_REPORTED_METHODS.includes(method);
}

export function payeeFlags(year: number, totals: readonly PaidTotal[]): Map<string, PayeeFlag> {
  const threshold = necThresholdCents(year);
  const cents = new Map<string, bigint>();
  const status = new Map<string, PaidTotal["taxFormStatus"]>();
  for (const row of totals) {
    status.set(row.distributorId, row.taxFormStatus);
    const counted = row.currency === "USD" && isMerchantReported(row.method) ? row.totalMinor : 0n;
    cents.set(row.distributorId, (cents.get(row.distributorId) ?? 0n) + counted);
  }
  return new Map(
    [...cents].map(([distributorId, merchantReportedCents]) => {
      const overThreshold = merchantReportedCents >= threshold;
      return [distributorId, { distributorId, merchantReportedCents, overThreshold, actionNeeded: overThreshold && status.get(distributorId) !== "collected" }];
    }),
  );
}

/** The report's lines (header first), one per payee, method and currency, ordered by code, method, currency. */
export function taxReportLines(year: number, totals: readonly PaidTotal[]): string[] {
  const flags = payeeFlags(year, totals);
  const threshold = formatMinor(necThresholdCents(year), "USD");
  const sorted = [...totals].sort((a, b) => compare(a.code, b.code) || compare(a.method, b.method) || compare(a.currency, b.currency));
  return [
    csvLine([...TAX_REPORT_HEADER]),
    ...sorted.map((row) => {
      const flag = flags.get(row.distributorId)!;
      return csvLine([
        String(year),
        row.distributorId,
        row.code,
        row.name ?? "",
        row.email ?? "",
        row.method,
        isMerchantReported(row.method) ? "merchant_1099_nec" : "processor_1099_k",
        row.currency,
        String(row.items),
        formatMinor(row.totalMinor, row.currency),
        formatMinor(flag.merchantReportedCents, "USD"),
        threshold,
        flag.overThreshold ? "yes" : "no",
        row.taxFormStatus,
        flag.actionNeeded ? "collect_w9" : "",
      ]);
    }),
  ];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
