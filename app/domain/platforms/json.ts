/**
 * Lossless JSON parsing for platform payloads.
 *
 * Shopify ids such as 820982911946154508 exceed Number.MAX_SAFE_INTEGER; a plain JSON.parse silently turns
 * them into 820982911946154500, a different order. Here every integer literal outside the safe range is kept
 * as its exact decimal string; everything else parses exactly as JSON.parse would.
 */

export class JsonParseError extends Error {
  override name = "JsonParseError";
}

export function parseJsonLossless(input: string | Uint8Array): unknown {
  const text = stripByteOrderMark(typeof input === "string" ? input : decodeUtf8(input));
  return SOURCE_TEXT_SUPPORTED ? parseWithSourceText(text) : parseByQuotingUnsafeIntegers(text);
}

const INTEGER_LITERAL = /^-?\d+$/;

interface ReviverContext {
  readonly source?: string;
}

/** Node 22+ hands the reviver each primitive's source text, so the exact digits are right there. */
export function parseWithSourceText(text: string): unknown {
  return parseOrExplain(text, (_key: string, value: unknown, context?: ReviverContext) => {
    if (typeof value !== "number" || Number.isSafeInteger(value)) return value;
    const source = context?.source;
    return source !== undefined && INTEGER_LITERAL.test(source) ? source : value;
  });
}

const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * For runtimes without source text access: put quotes around unsafe integer literals (outside strings),
 * then let the native parser do all the validating. Digits outside a string can only be a number in JSON,
 * so quoting them never turns malformed input into valid input or the other way round.
 */
export function parseByQuotingUnsafeIntegers(text: string): unknown {
  let out = "";
  let copiedUpTo = 0;
  let i = 0;
  while (i < text.length) {
    const char = text.charCodeAt(i);
    if (char === QUOTE) {
      i = endOfString(text, i);
      continue;
    }
    if (char === MINUS || (char >= DIGIT_0 && char <= DIGIT_9)) {
      NUMBER_TOKEN.lastIndex = i;
      const token = NUMBER_TOKEN.exec(text)?.[0];
      if (token === undefined) {
        i += 1;
        continue;
      }
      if (INTEGER_LITERAL.test(token) && !Number.isSafeInteger(Number(token))) {
        out += `${text.slice(copiedUpTo, i)}"${token}"`;
        copiedUpTo = i + token.length;
      }
      i += token.length;
      continue;
    }
    i += 1;
  }
  return parseOrExplain(copiedUpTo === 0 ? text : out + text.slice(copiedUpTo));
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Index just past the closing quote of the string starting at `start` (or the end of an unterminated one). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const char = text.charCodeAt(i);
    if (char === BACKSLASH) i += 2;
    else if (char === QUOTE) return i + 1;
    else i += 1;
  }
  return i;
}

function parseOrExplain(text: string, reviver?: (key: string, value: unknown, context?: ReviverContext) => unknown) {
  try {
    return JSON.parse(text, reviver) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JsonParseError(`Malformed JSON: ${reason}`);
  }
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new JsonParseError("Malformed JSON: the body is not valid UTF-8");
  }
}

// PHP stacks occasionally emit a UTF-8 byte order mark, which JSON.parse rejects.
function stripByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const SOURCE_TEXT_SUPPORTED = (() => {
  let supported = false;
  JSON.parse("1", (_key: string, value: unknown, context?: ReviverContext) => {
    supported = typeof context?.source === "string";
    return value;
  });
  return supported;
})();
