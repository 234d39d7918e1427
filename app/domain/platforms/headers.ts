/**
 * Request headers as the adapters see them: a fetch `Headers` (Remix) or a plain record (Express, tests, the
 * inbox row). Names are case-insensitive because HTTP/2 lowercases them.
 */
export type HeaderSource = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The trimmed value of the first header with this name, or null when it is absent or blank. */
export function readHeader(headers: HeaderSource, name: string): string | null {
  const value = isHeadersObject(headers) ? headers.get(name) : fromRecord(headers, name);
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function fromRecord(headers: Readonly<Record<string, string | readonly string[] | undefined>>, name: string) {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return typeof value === "string" ? value : value?.[0];
  }
  return undefined;
}

function isHeadersObject(headers: HeaderSource): headers is { get(name: string): string | null } {
  return typeof (headers as { get?: unknown }).get === "function";
}
