/** Test-only helpers to edit parsed fixtures in place without `any`. */

export type JsonRecord = Record<string, unknown>;

export function record(value: unknown): JsonRecord {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not a JSON object");
  return value as JsonRecord;
}

export function records(value: unknown): JsonRecord[] {
  if (!Array.isArray(value)) throw new Error("not a JSON array");
  return value.map(record);
}

/** The object at a dotted path such as "line_items[1].price_set", for editing. */
export function at(root: unknown, path: string): JsonRecord {
  let current: unknown = root;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    current = Array.isArray(current) ? current[Number(part)] : record(current)[part];
  }
  return record(current);
}

/** A deep copy, so one fixture can seed several variants. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
