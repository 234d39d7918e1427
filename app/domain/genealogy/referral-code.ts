/**
 * Referral codes: what a distributor shares (link `?ref=`, coupon, spoken aloud) and what orders carry back.
 *
 * Generated codes are 8 symbols from a 30-symbol alphabet: digits 2–9 and the letters without I, L, O and U.
 * 0/O and 1/I/L are dropped because people misread them; U is dropped (as in Crockford's base 32) so fewer
 * random codes spell words. 30^8 ≈ 6.6 × 10^11 codes: with a million codes in one shop a fresh code is already
 * taken with probability ≈ 1.5 × 10^-6, so the unique (shopId, code) constraint plus a retry on conflict is the
 * whole uniqueness story; nothing here needs to know which codes exist.
 *
 * Lookup goes through `normalizeReferralCode`, applied both when a code is stored and when one arrives, so
 * "abcd-efgh ", "ABCD EFGH" and "ＡＢＣＤＥＦＧＨ" (full-width, from a phone keyboard) all find ABCDEFGH.
 * Merchants may also give vanity codes ("JANE2024"): they follow the same normalization but not the alphabet.
 */

export const REFERRAL_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
export const REFERRAL_CODE_LENGTH = 8;

const MIN_CODE_LENGTH = 3;
const MAX_CODE_LENGTH = 32;
/** Separators people type or paste inside a code; they never belong to it. */
const SEPARATORS = /[\s\-_.]+/g;
const NORMALIZED_CODE = /^[A-Z0-9]+$/;
/** Largest multiple of the alphabet size that fits in a byte: bytes at or above it are redrawn (no bias). */
const UNBIASED_BYTE_LIMIT = Math.floor(256 / REFERRAL_CODE_ALPHABET.length) * REFERRAL_CODE_ALPHABET.length;

/** A source of random bytes: crypto in production, seeded for demo data and tests. */
export type RandomBytes = (count: number) => Uint8Array;

export const cryptoRandomBytes: RandomBytes = (count) => globalThis.crypto.getRandomValues(new Uint8Array(count));

/**
 * Deterministic bytes from a 32-bit seed (mulberry32), so seeded demo shops get the same codes every run.
 * Not for production codes: anyone who knows the seed can list them.
 */
export function seededRandomBytes(seed: number): RandomBytes {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return (mixed ^ (mixed >>> 14)) >>> 0;
  };
  return (count) => Uint8Array.from({ length: count }, () => next() & 0xff);
}

export function generateReferralCode(random: RandomBytes = cryptoRandomBytes, length = REFERRAL_CODE_LENGTH): string {
  if (!Number.isSafeInteger(length) || length < MIN_CODE_LENGTH || length > MAX_CODE_LENGTH) {
    throw new RangeError(`referral code length must be ${MIN_CODE_LENGTH}..${MAX_CODE_LENGTH}`);
  }
  let code = "";
  while (code.length < length) {
    for (const byte of random(length - code.length)) {
      if (byte < UNBIASED_BYTE_LIMIT && code.length < length) {
        code += REFERRAL_CODE_ALPHABET[byte % REFERRAL_CODE_ALPHABET.length];
      }
    }
  }
  return code;
}

/**
 * The stored and looked-up form: Unicode-compatibility folded (full-width letters become ASCII), trimmed,
 * upper case, separators removed. Null when the result cannot be a code (empty, too short or long, or other
 * characters), so a lookup never runs on garbage.
 */
export function normalizeReferralCode(input: string): string | null {
  const code = input.normalize("NFKC").trim().toUpperCase().replace(SEPARATORS, "");
  if (code.length < MIN_CODE_LENGTH || code.length > MAX_CODE_LENGTH || !NORMALIZED_CODE.test(code)) return null;
  return code;
}

/** True for codes this module could have generated (length and alphabet), as opposed to vanity codes. */
export function isGeneratedReferralCode(code: string): boolean {
  return code.length === REFERRAL_CODE_LENGTH && [...code].every((symbol) => REFERRAL_CODE_ALPHABET.includes(symbol));
}

/** Display form, in groups of four ("ABCD-EFGH"); normalization removes the hyphen again on the way back. */
export function formatReferralCode(code: string): string {
  return code.match(/.{1,4}/g)?.join("-") ?? code;
}
