import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const PRISMA_CLI = require.resolve("prisma/build/index.js");

export interface PrismaCliResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs the Prisma CLI with this process's Node (22, from the `node` package) against `databaseUrl`.
 * Output is captured so callers decide what to show; a failure carries the CLI's own words.
 */
export function runPrismaCli(args: string[], databaseUrl: string): Promise<PrismaCliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PRISMA_CLI, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`prisma ${args.join(" ")} exited with ${code}:\n${stderr || stdout}`));
    });
  });
}

export async function migrateDeploy(databaseUrl: string): Promise<PrismaCliResult> {
  return runPrismaCli(["migrate", "deploy"], databaseUrl);
}
