/**
 * The short form of the chaos suite in `npm test`: the whole proof (test/chaos/run-chaos.ts) on a few dozen
 * events, on a PostgreSQL and a Redis of its own. `npm run test:chaos` runs it on thousands.
 */
import { expect, it } from "vitest";
import { spawnScript } from "../support/processes";

it("loses nothing, doubles nothing and matches a clean run under kills, an outage and a Redis flush", async () => {
  const run = spawnScript("test/chaos/run-chaos.ts", { UPLINE_BUILD_DIR: process.env.UPLINE_BUILD_DIR }, ["--orders", "8"]);
  const { code } = await run.exit(540_000);
  const output = run.output();
  expect(output, output).toMatch(/^lost: 0$/m);
  expect(output).toMatch(/^doubled: 0$/m);
  expect(output).toMatch(/^unbalanced: 0$/m);
  expect(output).toMatch(/^difference from the clean run: 0$/m);
  expect(output).toMatch(/^reconciliation delta: 0$/m);
  expect(code, output).toBe(0);
}, 600_000);
