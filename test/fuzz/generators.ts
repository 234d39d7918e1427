/**
 * fast-check generators for the fuzz suite: bodies that are almost right (one field of a genuine payload
 * replaced by any JSON value, an edge-case number or broken text, or removed), arbitrary JSON, arbitrary bytes,
 * and header values and URL paths no client library would build.
 */
import fc from "fast-check";
import { sendableHeader } from "./support";

/** Text PostgreSQL or a parser can choke on: NUL, lone surrogates, a byte-order mark, huge or odd numbers. */
export const EDGE_VALUES: readonly unknown[] = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff x",
  "\ufeff{}",
  "1e21",
  "1e-7",
  "-1",
  "-0",
  "NaN",
  "Infinity",
  "0x10",
  "99999999999999999999999999",
  "9223372036854775808",
  "0000-00-00",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "2026-02-30T00:00:00Z",
  "+275760-09-13T00:00:00Z",
  "<script>alert(1)</script>",
  '\'; DROP TABLE "Order"; --',
  "%E0%A4%A",
  "\u202e",
  "𝔘𝔭𝔩𝔦𝔫𝔢",
  "x".repeat(5_000),
  1e308,
  -1e308,
  1e21,
  1e-7,
  -0,
  0.1,
  2 ** 63,
  -(2 ** 63),
  Number.MAX_SAFE_INTEGER + 2,
  true,
  false,
  null,
  [],
  {},
  [null],
  { id: null },
  [[[[[]]]]],
];

const edgeValue = fc.constantFrom(...EDGE_VALUES);
const anyValue = fc.oneof(edgeValue, fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: "binary", maxLength: 40 }));

/** Every path (object keys and array indexes) in a JSON value, the value itself first. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...pathsOf(item, [...prefix, index])));
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  return paths;
}

/** A copy of `value` with the thing at `path` replaced (or removed when `replacement` is the REMOVE marker). */
const REMOVE = Symbol("remove");
function replaced(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement === REMOVE ? undefined : replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement === REMOVE) copy.splice(head as number, 1);
    else copy[head as number] = replaced(copy[head as number], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && replacement === REMOVE) delete copy[head as string];
  else copy[head as string] = replaced(copy[head as string], rest, replacement);
  return copy;
}

/** A genuine payload with one to three of its fields replaced or removed, serialized. */
export function mutatedJson(template: unknown): fc.Arbitrary<string> {
  const paths = pathsOf(template);
  const mutation = fc.record({
    path: fc.constantFrom(...paths),
    value: fc.oneof({ weight: 4, arbitrary: anyValue }, { weight: 1, arbitrary: fc.constant(REMOVE) }),
  });
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => {
    let value = template;
    for (const { path, value: replacement } of mutations) value = replaced(value, path, replacement);
    return JSON.stringify(value) ?? "";
  });
}

/** Any body: mostly near-misses of the template, then arbitrary JSON, text and bytes. */
export function bodyFor(template: unknown): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 6, arbitrary: mutatedJson(template).map((text) => Buffer.from(text, "utf8")) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => Buffer.from(JSON.stringify(value) ?? "", "utf8")) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }).map((text) => Buffer.from(text, "utf8")) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
    {
      weight: 1,
      arbitrary: mutatedJson(template).map((text) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(",", ",\u0000"), "utf8")])),
    },
  );
}

/** A header value: one of the known ones, or anything a client can put on the wire (latin-1, no CR/LF). */
export function headerValue(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 60 }).filter(sendableHeader) },
    {
      weight: 1,
      arbitrary: fc
        .string({ maxLength: 30 })
        .map((text) => Buffer.from(text, "utf8").toString("latin1"))
        .filter(sendableHeader),
    },
    { weight: 1, arbitrary: fc.constantFrom("", " ", "x".repeat(4_000), "0000-00-00T00:00:00Z", "%00", "null") },
  );
}

/** A path segment a client may send raw: percent-escapes that decode to nothing valid, dots, unicode bytes. */
export const pathSegment = fc.oneof(
  fc.constantFrom("%", "%E0%A4%A", "%zz", "%00", "%C0%AE", "%FF%FE", "..", "%2e%2e", "%2F", "a%20b", "%uD800", "~", "%F0%9F%98", encodeURIComponent("\u00e9")),
  fc.uuid(),
  fc.string({ unit: "binary-ascii", maxLength: 20 }).map((text) => encodeURIComponent(text)),
  fc.stringMatching(/^[A-Za-z0-9%._~-]{0,24}$/),
);
