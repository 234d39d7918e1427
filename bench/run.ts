/** `npm run bench -- NAME` runs bench/NAME.ts; `npm run bench` runs them all. Each writes bench/results/NAME.json. */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchResult } from "./lib/result";

const available = readdirSync(path.resolve("bench"))
  .filter((file) => file.endsWith(".ts") && !file.includes(".test.") && file !== "run.ts" && !file.endsWith("-study.ts"))
  .map((file) => file.replace(/\.ts$/, ""))
  .sort();

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(", ")}. Available: ${available.join(", ")}`);
  process.exit(2);
}

// The benchmarks that start the web process serve the production build: a fresh clone has none yet.
if (!existsSync(path.resolve("build", "server", "index.js"))) {
  console.log("building the app (build/ is missing): remix vite:build");
  execFileSync("npx", ["remix", "vite:build", "--logLevel", "error"], { stdio: "inherit" });
}

let failed = false;
for (const name of requested.length > 0 ? requested : available) {
  console.log(`\n== bench ${name}`);
  const module = (await import(pathToFileURL(path.resolve("bench", `${name}.ts`)).href)) as { run(): Promise<BenchResult> };
  try {
    const result = await module.run();
    console.log(JSON.stringify({ metrics: result.metrics, baseline: result.baseline, ratios: result.ratios }, null, 2));
  } catch (error) {
    failed = true;
    console.error(`bench ${name} failed:`, error);
  }
}
process.exit(failed ? 1 : 0);
