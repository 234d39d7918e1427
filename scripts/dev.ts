/**
 * What `shopify app dev` runs (shopify.web.toml): migrations, then Remix's Vite dev server and the workers, on
 * DATABASE_URL or the embedded database. The CLI provides SHOPIFY_API_KEY/SECRET, SHOPIFY_APP_URL and PORT.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { resolveDatabase } from "~/db/database-url.server";
import { migrateDeploy } from "~/db/prisma-cli.server";
import { assertRedisReachable } from "~/redis.server";
import { readCoreConfig } from "~/config.server";
import { exitOnStartupError } from "~/preflight.server";
import { loadDotEnv } from "./launcher";

loadDotEnv();
try {
  await assertRedisReachable(readCoreConfig({ ...process.env, DATABASE_URL: undefined }).REDIS_URL);
  const database = await resolveDatabase();
  await migrateDeploy(database.url);
  const env = { ...process.env, DATABASE_URL: database.url, ...(database.embedded ? { DATABASE_POOL_MAX: "4", UPLINE_EMBEDDED_DATABASE: "1" } : {}) };
  const remix = createRequire(import.meta.url).resolve("@remix-run/dev/dist/cli.js");
  const children = [
    spawn(process.execPath, [remix, "vite:dev"], { env, stdio: "inherit" }),
    spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], { env, stdio: "inherit" }),
  ];
  const stop = async () => {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((child) => new Promise((resolve) => child.once("exit", resolve))));
    await database.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
  for (const child of children) child.once("exit", (code) => code && void stop());
} catch (error) {
  exitOnStartupError(error);
}
