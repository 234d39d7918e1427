// The Magento module signs with PHP, Upline verifies with Node: both must produce the same bytes.
// test/signature-vector.json holds a known body/secret/signature computed with openssl; the PHP side runs
// through test/print-signature.php when php is on PATH (CI installs Debian's php-cli).
import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const moduleDir = fileURLToPath(new URL(".", import.meta.url));

interface SignatureVector {
  secret: string;
  body: string;
  signature: string;
}

const vector = JSON.parse(readFileSync(new URL("./test/signature-vector.json", import.meta.url), "utf8")) as SignatureVector;

function nodeSignature(body: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

function php(args: string[], input?: Buffer) {
  return spawnSync("php", args, { cwd: moduleDir, input, timeout: 30_000 });
}

const phpAvailable = php(["-v"]).status === 0;
const SKIPPED = "SKIPPED: php is not on PATH (Debian: apt-get install -y php-cli)";
if (!phpAvailable) console.warn(`extensions/magento-module/signer.test.ts: PHP checks ${SKIPPED}`);

describe("X-Upline-Signature", () => {
  it("node:crypto reproduces the known vector", () => {
    expect(nodeSignature(vector.body, vector.secret)).toBe(vector.signature);
  });

  describe.skipIf(!phpAvailable)(phpAvailable ? "PHP Signer (Model/Signer.php)" : `PHP Signer — ${SKIPPED}`, () => {
    it("prints the same bytes as node:crypto for the vector", () => {
      const result = php(["test/print-signature.php"]);
      expect(result.stderr.toString()).toBe("");
      expect(result.status).toBe(0);
      expect(result.stdout.equals(Buffer.from(nodeSignature(vector.body, vector.secret)))).toBe(true);
    });

    it("agrees on a body with multibyte UTF-8, CRLF and a NUL byte", () => {
      const body = Buffer.concat([Buffer.from('{"name":"Zoë 🌱",\r\n"x":"'), Buffer.from([0]), Buffer.from('"}')]);
      const secret = "s3cr3t with spaces/+=";
      const result = php(["test/print-signature.php", secret], body);
      expect(result.status).toBe(0);
      expect(result.stdout.toString("latin1")).toBe(nodeSignature(body, secret));
    });

    it("passes test/run.sh (php -l on every file, then the plain-PHP tests)", () => {
      const result = spawnSync("bash", ["test/run.sh"], { cwd: moduleDir, timeout: 120_000 });
      const output = `${result.stdout.toString()}${result.stderr.toString()}`;
      expect(result.status, output).toBe(0);
      expect(output).toContain("SignerTest: ok");
      expect(output).toContain("ContractTest: ok");
    });
  });
});
