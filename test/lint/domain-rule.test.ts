import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * The domain's purity is a lint rule (eslint.config.js), so the rule itself is under test: the repository's own
 * config lints small sources as if they were files under app/domain (lintText with a filePath; nothing is
 * written), and each IO import or use of `process` must be an error there and nowhere else.
 */
const eslint = new ESLint({ cwd: fileURLToPath(new URL("../../", import.meta.url)) });

async function ruleErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((message) => message.severity === 2).map((message) => `${message.ruleId}: ${message.message}`);
}

const DOMAIN_FILE = "app/domain/engine/lint-probe.ts";

describe("the domain lint rule", () => {
  // The first lint loads the config and typescript-eslint: seconds on a busy machine, so not inside a test's 5 s.
  beforeAll(() => ruleErrors(DOMAIN_FILE, "export {};\n"), 60_000);

  it.each([
    ['import { readFileSync } from "node:fs";', "no-restricted-imports"],
    ['import { readFile } from "node:fs/promises";', "no-restricted-imports"],
    ['import { readFileSync } from "fs";', "no-restricted-imports"],
    ['import { connect } from "node:net";', "no-restricted-imports"],
    ['import { execSync } from "node:child_process";', "no-restricted-imports"],
    ['import { spawn } from "child_process";', "no-restricted-imports"],
    ['import { request } from "node:http";', "no-restricted-imports"],
    ['import { request } from "http";', "no-restricted-imports"],
    ['import { Queue } from "bullmq";', "no-restricted-imports"],
    ['import { db } from "~/db.server";', "no-restricted-imports"],
  ])("refuses %s in app/domain", async (importLine, rule) => {
    const errors = await ruleErrors(DOMAIN_FILE, `${importLine}\nexport const probe = [${importLine.match(/\{ (\w+) \}/)![1]}];\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^${rule}: .*app/domain`));
  });

  it("refuses the global process in app/domain", async () => {
    const errors = await ruleErrors(DOMAIN_FILE, "export const level = process.env.LOG_LEVEL;\n");
    expect(errors).toEqual([expect.stringMatching(/^no-restricted-globals: .*process/)]);
  });

  it("accepts pure code in app/domain (node:crypto for signatures stays allowed)", async () => {
    const source = 'import { createHash } from "node:crypto";\nexport const digest = (text: string) => createHash("sha256").update(text).digest("hex");\n';
    expect(await ruleErrors(DOMAIN_FILE, source)).toEqual([]);
  });

  it("applies to app/domain only: a service may read files and the environment", async () => {
    const source = 'import { readFileSync } from "node:fs";\nexport const read = () => readFileSync(process.env.FILE ?? "x", "utf8");\n';
    expect(await ruleErrors("app/services/lint-probe.server.ts", source)).toEqual([]);
  });
});
