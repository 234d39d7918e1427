import { createSign, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signHmacSha256Base64, SignatureConfigurationError, verifyAdobeIoSignatures, verifyHmacSha256Base64, verifyRsaSha256 } from "./signatures";
import { shopifyWireText } from "~test/support/platforms/fixtures";

const BODY = shopifyWireText("orders_create.sample.trigger-dev.json");
const SECRET = "hush-app-secret";

describe("HMAC-SHA256 base64", () => {
  it("matches RFC 4231 test case 2", () => {
    const expectedHex = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    const signature = signHmacSha256Base64("what do ya want for nothing?", "Jefe");
    expect(signature).toBe(Buffer.from(expectedHex, "hex").toString("base64"));
    expect(verifyHmacSha256Base64("what do ya want for nothing?", "Jefe", signature)).toBe(true);
  });

  it("accepts the signature of the raw body, given as text or bytes", () => {
    const header = signHmacSha256Base64(BODY, SECRET);
    expect(verifyHmacSha256Base64(BODY, SECRET, header)).toBe(true);
    expect(verifyHmacSha256Base64(Buffer.from(BODY, "utf8"), Buffer.from(SECRET), header)).toBe(true);
    expect(verifyHmacSha256Base64(BODY, SECRET, ` ${header} `)).toBe(true);
  });

  it("rejects a signature made with another secret", () => {
    expect(verifyHmacSha256Base64(BODY, SECRET, signHmacSha256Base64(BODY, "other-secret"))).toBe(false);
  });

  it("rejects a tampered body, even a re-serialization of the same JSON", () => {
    const header = signHmacSha256Base64(BODY, SECRET);
    expect(verifyHmacSha256Base64(BODY.replace("199.00", "1.00"), SECRET, header)).toBe(false);
    expect(verifyHmacSha256Base64(JSON.stringify(JSON.parse(BODY)), SECRET, header)).toBe(false);
  });

  it("rejects headers of the wrong length without throwing", () => {
    const header = signHmacSha256Base64(BODY, SECRET);
    expect(verifyHmacSha256Base64(BODY, SECRET, header.slice(0, -2))).toBe(false);
    expect(verifyHmacSha256Base64(BODY, SECRET, `${header}AA==`)).toBe(false);
    expect(verifyHmacSha256Base64(BODY, SECRET, "x")).toBe(false);
  });

  it("rejects a missing or blank header", () => {
    expect(verifyHmacSha256Base64(BODY, SECRET, null)).toBe(false);
    expect(verifyHmacSha256Base64(BODY, SECRET, undefined)).toBe(false);
    expect(verifyHmacSha256Base64(BODY, SECRET, "  ")).toBe(false);
  });

  it("rejects a non-canonical encoding of the right bytes", () => {
    const hex = Buffer.from(signHmacSha256Base64(BODY, SECRET), "base64").toString("hex");
    expect(verifyHmacSha256Base64(BODY, SECRET, hex)).toBe(false);
  });

  it("accepts any of several secrets, for secret rotation", () => {
    const signedWithOld = signHmacSha256Base64(BODY, "old-secret");
    expect(verifyHmacSha256Base64(BODY, ["new-secret", "old-secret"], signedWithOld)).toBe(true);
    expect(verifyHmacSha256Base64(BODY, ["new-secret"], signedWithOld)).toBe(false);
    expect(verifyHmacSha256Base64(BODY, [], signedWithOld)).toBe(false);
  });

  it("never verifies with an empty secret", () => {
    expect(verifyHmacSha256Base64(BODY, "", signHmacSha256Base64(BODY, ""))).toBe(false);
  });
});

function rsaKeyPair() {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
}

function rsaSign(body: string, privateKeyPem: string): string {
  return createSign("RSA-SHA256").update(body).sign(privateKeyPem, "base64");
}

describe("RSA-SHA256 (Adobe I/O Events)", () => {
  const current = rsaKeyPair();
  const next = rsaKeyPair();
  const body = '{"event_id":"b0f2b088-5490-4d16-9ce9-0cb1fb3e5ed0","data":{"value":{"entity_id":3}}}';

  it("verifies a signature over the raw body", () => {
    expect(verifyRsaSha256(body, rsaSign(body, current.privateKey), current.publicKey)).toBe(true);
    expect(verifyRsaSha256(Buffer.from(body), rsaSign(body, current.privateKey), current.publicKey)).toBe(true);
  });

  it("rejects a tampered body, another key's signature, and garbage", () => {
    const signature = rsaSign(body, current.privateKey);
    expect(verifyRsaSha256(body.replace("3", "4"), signature, current.publicKey)).toBe(false);
    expect(verifyRsaSha256(body, signature, next.publicKey)).toBe(false);
    expect(verifyRsaSha256(body, signature.slice(0, 40), current.publicKey)).toBe(false);
    expect(verifyRsaSha256(body, "not base64 at all!", current.publicKey)).toBe(false);
    expect(verifyRsaSha256(body, null, current.publicKey)).toBe(false);
  });

  it("passes when either signature verifies against either configured key", () => {
    const signedByNext = rsaSign(body, next.privateKey);
    const keys = [current.publicKey, next.publicKey];
    expect(verifyAdobeIoSignatures(body, ["bogus", signedByNext], keys)).toBe(true);
    expect(verifyAdobeIoSignatures(body, [signedByNext, null], keys)).toBe(true);
    expect(verifyAdobeIoSignatures(body, [signedByNext, null], [current.publicKey])).toBe(false);
    expect(verifyAdobeIoSignatures(body, [null, null], keys)).toBe(false);
    expect(verifyAdobeIoSignatures(body, [signedByNext], [])).toBe(false);
  });

  it("throws a configuration error for a key that cannot be read, so the sender retries", () => {
    expect(() => verifyRsaSha256(body, rsaSign(body, current.privateKey), "not a pem")).toThrow(SignatureConfigurationError);
  });
});
