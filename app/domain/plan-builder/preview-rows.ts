/**
 * The what-if table: per distributor and rule, what the draft would pay on the chosen orders beside what the
 * versions in force paid on them. Amounts stay integer minor units; a pair only one side paid shows 0 on the other.
 */

export interface PaidLine {
  readonly distributorId: string;
  readonly rule: string;
  readonly amountMinor: bigint;
}

export interface PreviewRow {
  readonly distributorId: string;
  readonly rule: string;
  readonly draftMinor: bigint;
  readonly inForceMinor: bigint;
}

export function previewRows(draft: readonly PaidLine[], inForce: readonly PaidLine[]): PreviewRow[] {
  const rows = new Map<string, { distributorId: string; rule: string; draftMinor: bigint; inForceMinor: bigint }>();
  const row = (line: PaidLine) => {
    const key = JSON.stringify([line.distributorId, line.rule]);
    let found = rows.get(key);
    if (!found) {
      found = { distributorId: line.distributorId, rule: line.rule, draftMinor: 0n, inForceMinor: 0n };
      rows.set(key, found);
    }
    return found;
  };
  for (const line of draft) row(line).draftMinor += line.amountMinor;
  for (const line of inForce) row(line).inForceMinor += line.amountMinor;
  return [...rows.values()].sort((a, b) => (a.distributorId === b.distributorId ? cmp(a.rule, b.rule) : cmp(a.distributorId, b.distributorId)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Totals of the table, for its footer. */
export function previewTotals(rows: readonly PreviewRow[]): { draftMinor: bigint; inForceMinor: bigint } {
  return rows.reduce((sum, row) => ({ draftMinor: sum.draftMinor + row.draftMinor, inForceMinor: sum.inForceMinor + row.inForceMinor }), {
    draftMinor: 0n,
    inForceMinor: 0n,
  });
}
