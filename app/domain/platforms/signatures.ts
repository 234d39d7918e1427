/**
 * Delivery signatures, always over the raw body bytes (re-serialized JSON would not match).
 *
 * HMAC-SHA256/base64: Shopify (`X-Shopify-Hmac-Sha256`), WooCommerce (`X-WC-Webhook-Signature`) and our own
 * Magento module. RSA-SHA256: Adobe I/O Events (`x-adobe-digital-signature-1/2`).
 *
 * A bad signature returns false (the route answers 401). A public key that cannot be read throws
 * SignatureConfigurationError: that is our misconfiguration, and the route must answer 5xx so the sender
 * retries once it is fixed; Adobe I/O never retries a 4xx, so a 401 there would lose the event.
 */
import { createHmac, createPublicKey, timingSafeEqual, verify, type KeyObject } from "node:crypto";

export type RawBody = string | Uint8Array;
export type HmacSecret = string | Uint8Array;

export class SignatureConfigurationError extends Error {
  override name = "SignatureConfigurationError";
}

export function signHmacSha256Base64(rawBody: RawBody, secret: HmacSecret): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

/**
 * Constant-time check of a base64 HMAC-SHA256 header. Several secrets may be given: after Shopify rotates an
 * app secret, deliveries can be signed with the old one for up to an hour.
 */
export function verifyHmacSha256Base64(rawBody: RawBody, secrets: HmacSecret | readonly HmacSecret[], headerValue: string | null | undefined): boolean {
  const received = headerValue?.trim();
  if (!received) return false;
  const receivedBytes = Buffer.from(received, "utf8");
  let valid = false;
  for (const secret of secretList(secrets)) {
    if (isEmptySecret(secret)) continue;
    const expected = Buffer.from(signHmacSha256Base64(rawBody, secret), "utf8");
    // Comparing the base64 text (not decoded bytes) rejects any header that is not the canonical encoding.
    if (expected.length === receivedBytes.length && timingSafeEqual(expected, receivedBytes)) valid = true;
  }
  return valid;
}

/** One RSA-SHA256 signature (base64) over the raw body, against one PEM public key. */
export function verifyRsaSha256(rawBody: RawBody, base64Signature: string | null | undefined, publicKeyPem: string): boolean {
  return verifyWithKey(rawBody, base64Signature, readPublicKey(publicKeyPem));
}

/**
 * Adobe I/O Events sends two signatures because it rotates keys; a delivery is authentic when either
 * signature verifies against either configured public key.
 */
export function verifyAdobeIoSignatures(rawBody: RawBody, signatures: readonly (string | null | undefined)[], publicKeysPem: readonly string[]): boolean {
  const keys = publicKeysPem.map(readPublicKey);
  return signatures.some((signature) => keys.some((key) => verifyWithKey(rawBody, signature, key)));
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function verifyWithKey(rawBody: RawBody, base64Signature: string | null | undefined, key: KeyObject): boolean {
  const signature = base64Signature?.trim();
  if (!signature || !BASE64.test(signature)) return false;
  try {
    return verify("sha256", toBytes(rawBody), key, Buffer.from(signature, "base64"));
  } catch {
    // A signature of the wrong size for the key is a bad signature, not a crash.
    return false;
  }
}

function readPublicKey(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SignatureConfigurationError(`the configured public key cannot be read: ${reason}`);
  }
}

function secretList(secrets: HmacSecret | readonly HmacSecret[]): readonly HmacSecret[] {
  return typeof secrets === "string" || secrets instanceof Uint8Array ? [secrets] : secrets;
}

// An empty secret would make any body "verify" against a signature anyone can compute.
function isEmptySecret(secret: HmacSecret): boolean {
  return secret.length === 0;
}

function toBytes(rawBody: RawBody): Uint8Array {
  return typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody;
}
