/**
 * The bank file of a run and the bank's confirmation (pure). The export is a Wise-style batch CSV: one row per
 * item, amount as a decimal in the item's currency, our item id as the payment reference so the confirmation
 * can be matched back exactly. Fields are quoted per RFC 4180 and cells starting with = + - @ are prefixed with
 * an apostrophe, so a spreadsheet never runs a payee's name as a formula.
 */
import { formatMinor, parseDecimalToMinor } from "../money";

export const EXPORT_HEADER = [
  "reference",
  "name",
  "recipient",
  "account_holder",
  "iban",
  "account_number",
  "routing_number",
  "amount",
  "currency",
  "distributor_code",
] as const;

export interface ExportRow {
  readonly itemId: string;
  readonly distributorCode: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly destination: Readonly<Record<string, unknown>>;
  readonly amountMinor: bigint;
  readonly currency: string;
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");

export function exportLine(row: ExportRow): string {
  const d = row.destination;
  return csvLine([
    row.itemId,
    row.name ?? "",
    text(d.email) || (row.email ?? ""),
    text(d.accountHolder),
    text(d.iban),
    text(d.accountNumber),
    text(d.routingNumber),
    formatMinor(row.amountMinor, row.currency),
    row.currency,
    row.distributorCode,
  ]);
}

/** RFC 4180 records: quoted fields with doubled quotes, CRLF or LF line ends. */
export function parseCsv(input: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && input[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((cells) => cells.some((c) => c.trim() !== ""));
}

export interface Confirmation {
  readonly itemId: string;
  readonly outcome: "paid" | "failed";
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly bankReference: string | null;
  readonly error: string | null;
}

export interface ConfirmationIssue {
  readonly line: number;
  readonly message: string;
}

/**
 * The bank's confirmation: a header row with at least `reference`, `status` (paid/completed/sent or
 * failed/rejected/returned), `amount` and `currency`; optional `bank_reference`, `error`. Rows that do not
 * parse are reported with their line number, never dropped silently.
 */
export function parseConfirmation(input: string): { confirmations: Confirmation[]; issues: ConfirmationIssue[] } {
  const [header, ...rows] = parseCsv(input.replace(/^\uFEFF/, ""));
  const issues: ConfirmationIssue[] = [];
  if (!header) return { confirmations: [], issues: [{ line: 1, message: "empty file" }] };
  const col = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name);
  const at = {
    reference: col("reference"),
    status: col("status"),
    amount: col("amount"),
    currency: col("currency"),
    bank: col("bank_reference"),
    error: col("error"),
  };
  for (const name of ["reference", "status", "amount", "currency"] as const) {
    if (at[name] < 0) issues.push({ line: 1, message: `missing column ${name}` });
  }
  if (issues.length > 0) return { confirmations: [], issues };
  const confirmations: Confirmation[] = [];
  rows.forEach((cells, index) => {
    const line = index + 2;
    const get = (i: number) => (i < 0 ? "" : (cells[i] ?? "").trim());
    const status = get(at.status).toLowerCase();
    const outcome = ["paid", "completed", "sent", "success"].includes(status)
      ? "paid"
      : ["failed", "rejected", "returned", "cancelled"].includes(status)
        ? "failed"
        : null;
    if (!outcome) return issues.push({ line, message: `unknown status "${get(at.status)}"` });
    const currency = get(at.currency).toUpperCase();
    let amountMinor: bigint;
    try {
      amountMinor = parseDecimalToMinor(get(at.amount), currency);
    } catch {
      return issues.push({ line, message: `invalid amount "${get(at.amount)}"` });
    }
    confirmations.push({ itemId: get(at.reference), outcome, amountMinor, currency, bankReference: get(at.bank) || null, error: get(at.error) || null });
  });
  return { confirmations, issues };
}
