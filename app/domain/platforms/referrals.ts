/**
 * Finding distributor references in platform payloads. The adapters decide where to look and in which order;
 * this file decides what counts as a code and how key lists are matched.
 */
import type { ReferralReference, ReferralSource } from "./normalized";

/** Longest accepted reference; anything longer is not a code someone typed or a link carried. */
const MAX_CODE_LENGTH = 100;
/** Codes read out of free text (tags, notes) must look like codes, so prose never becomes a reference. */
const CODE_IN_TEXT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A trimmed code, or null when the value cannot be one (blank, not text, too long, control characters). */
export function cleanReferralCode(value: unknown): string | null {
  const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== "string") return null;
  const code = text.trim();
  if (code === "" || code.length > MAX_CODE_LENGTH || hasControlCharacter(code)) return null;
  return code;
}

/** The usable codes among `values`, in order. */
export function cleanReferralCodes(values: readonly unknown[]): string[] {
  return values.map(cleanReferralCode).filter((code): code is string => code !== null);
}

export interface KeyedValue {
  readonly key: string;
  readonly value: unknown;
}

/**
 * Values of entries whose key is in `keys`, ordered by the key list (its first key is the most trusted),
 * then by their order in the payload. Keys compare case-insensitively.
 */
export function valuesForKeys(entries: readonly KeyedValue[], keys: readonly string[]): string[] {
  const codes: string[] = [];
  for (const key of keys.map(normalizeKey)) {
    for (const entry of entries) {
      if (normalizeKey(entry.key) !== key) continue;
      const code = cleanReferralCode(entry.value);
      if (code !== null) codes.push(code);
    }
  }
  return codes;
}

/**
 * A code written as `key:CODE` or `key=CODE` in one item of free text: a Shopify tag ("ref:JANE01") or one
 * line of a customer note ("upline_ref = JANE01").
 */
export function codeFromLabelledText(items: readonly string[], keys: readonly string[]): string | null {
  const wanted = new Set(keys.map(normalizeKey));
  for (const item of items) {
    const match = /^\s*([^:=]+?)\s*[:=]\s*(\S+)\s*$/.exec(item);
    if (!match || !wanted.has(normalizeKey(match[1] ?? ""))) continue;
    const code = match[2] ?? "";
    if (CODE_IN_TEXT.test(code)) return code;
  }
  return null;
}

/** Builds the ordered reference list: first occurrence of each (source, code) pair wins its place. */
export function referenceList(groups: readonly (readonly [ReferralSource, readonly string[]])[]) {
  const seen = new Set<string>();
  const references: ReferralReference[] = [];
  for (const [source, codes] of groups) {
    for (const code of codes) {
      const identity = `${source}\u0000${code}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      references.push({ code, source });
    }
  }
  return references;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (char < 0x20 || char === 0x7f) return true;
  }
  return false;
}

function normalizeKey(key: string): string {
  return key.trim().toLowerCase();
}
