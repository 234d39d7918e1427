/**
 * Joins id parts into one stable key (idempotency keys, progress maps, account codes). Each part is escaped
 * so that an id containing the separator cannot make two different tuples produce the same key.
 */
export function joinKey(parts: readonly (string | number)[]): string {
  let key = "";
  for (let i = 0; i < parts.length; i++) {
    const text = String(parts[i]);
    const escaped = text.includes("%") || text.includes(":") ? text.replace(/%/g, "%25").replace(/:/g, "%3A") : text;
    key = i === 0 ? escaped : `${key}:${escaped}`;
  }
  return key;
}

/** The inverse of joinKey. */
export function splitKey(key: string): string[] {
  return key.split(":").map((part) => part.replace(/%25|%3A/g, (escape) => (escape === "%25" ? "%" : ":")));
}
