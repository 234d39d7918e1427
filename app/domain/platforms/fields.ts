/**
 * Typed reads from an untrusted JSON payload. Every failure is a NormalizationError naming the exact path
 * (`line_items[0].quantity`), so a failed inbox row tells the merchant which field the platform left out.
 * Unknown fields are never looked at.
 */
import { MoneyError, normalizeCurrency, parseDecimalToMinor, type CurrencyCode } from "../money";
import { NormalizationError } from "./normalized";

export type JsonObject = Readonly<Record<string, unknown>>;

const DECIMAL_INTEGER = /^-?\d+(?:\.0*)?$/;

export class Fields {
  private constructor(
    readonly value: JsonObject,
    readonly path: string,
  ) {}

  static of(value: unknown, path = ""): Fields {
    if (!isJsonObject(value)) throw new NormalizationError(path || "(body)", "must be a JSON object");
    return new Fields(value, path);
  }

  pathOf(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  fail(key: string, message: string): never {
    throw new NormalizationError(this.pathOf(key), message);
  }

  raw(key: string): unknown {
    return this.value[key];
  }

  /** Present and not null. */
  has(key: string): boolean {
    const value = this.value[key];
    return value !== undefined && value !== null;
  }

  object(key: string): Fields {
    if (!this.has(key)) this.fail(key, "is required");
    return Fields.of(this.value[key], this.pathOf(key));
  }

  optionalObject(key: string): Fields | null {
    return this.has(key) ? this.object(key) : null;
  }

  /** A required array of objects. */
  objects(key: string): Fields[] {
    const value = this.value[key];
    if (!Array.isArray(value)) this.fail(key, value === undefined || value === null ? "is required" : "must be an array");
    return value.map((item, index) => Fields.of(item, `${this.pathOf(key)}[${index}]`));
  }

  /** An array of objects that platforms omit or send as null when empty. */
  optionalObjects(key: string): Fields[] {
    return this.has(key) ? this.objects(key) : [];
  }

  string(key: string): string {
    const value = this.optionalString(key);
    if (value === null) this.fail(key, "is required");
    return value;
  }

  /** Trimmed text; null when absent, null or blank. Numbers are accepted as their decimal text. */
  optionalString(key: string): string | null {
    const value = this.value[key];
    if (value === undefined || value === null) return null;
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    if (typeof value !== "string") this.fail(key, "must be a string");
    const trimmed = value.trim();
    return trimmed === "" ? null : trimmed;
  }

  /** A platform id as a string. A number that is not a safe integer already lost digits to JSON.parse. */
  id(key: string): string {
    const value = this.optionalId(key);
    if (value === null) this.fail(key, "is required");
    return value;
  }

  optionalId(key: string): string | null {
    const value = this.value[key];
    if (value === undefined || value === null || value === "") return null;
    if (typeof value === "number") {
      if (!Number.isSafeInteger(value)) {
        this.fail(key, "is a number beyond 2^53 and has lost digits; parse the body with parseJsonLossless");
      }
      return String(value);
    }
    if (typeof value === "string" && value.trim() !== "") return value.trim();
    return this.fail(key, "must be an id (string or integer)");
  }

  /** A non-negative whole count. Magento sends quantities as 1 or "1.0000". */
  quantity(key: string): number {
    const quantity = this.wholeNumber(key);
    if (quantity < 0) this.fail(key, "must not be negative");
    return quantity;
  }

  /** A whole count that may be negative (WooCommerce refund lines count down). */
  signedQuantity(key: string): number {
    return this.wholeNumber(key);
  }

  private wholeNumber(key: string): number {
    const value = this.value[key];
    if (value === undefined || value === null) this.fail(key, "is required");
    const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
    if (!DECIMAL_INTEGER.test(text)) this.fail(key, "must be a whole number");
    const count = Number.parseInt(text, 10);
    if (!Number.isSafeInteger(count)) this.fail(key, "is out of range");
    // parseInt("-0") is -0; a count of zero has no sign.
    return count === 0 ? 0 : count;
  }

  /** An ISO 4217 code, upper-cased; `fallback` stands in when the payload leaves the field out. */
  currency(key: string, fallback?: string | null): CurrencyCode {
    const value = this.optionalString(key) ?? fallback?.trim();
    if (!value) this.fail(key, "is required");
    try {
      return normalizeCurrency(value);
    } catch (error) {
      if (error instanceof MoneyError) this.fail(key, error.message);
      throw error;
    }
  }

  /** A decimal amount (string or JSON number) as minor units of `currency`. */
  money(key: string, currency: CurrencyCode): bigint {
    const value = this.value[key];
    if (value === undefined || value === null || value === "") this.fail(key, "is required");
    if (typeof value !== "string" && typeof value !== "number") this.fail(key, "must be a decimal amount");
    try {
      return parseDecimalToMinor(value, currency);
    } catch (error) {
      if (error instanceof MoneyError) this.fail(key, error.message);
      throw error;
    }
  }

  /** An amount platforms leave out when it is zero. */
  optionalMoney(key: string, currency: CurrencyCode): bigint {
    const value = this.value[key];
    return value === undefined || value === null || value === "" ? 0n : this.money(key, currency);
  }

  optionalBoolean(key: string): boolean | null {
    const value = this.value[key];
    if (value === undefined || value === null) return null;
    if (typeof value === "boolean") return value;
    // Magento serializes flags as 0/1.
    if (value === 0 || value === 1 || value === "0" || value === "1") return value === 1 || value === "1";
    return this.fail(key, "must be a boolean");
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isPresent<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}
