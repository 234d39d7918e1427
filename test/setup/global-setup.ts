import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import { migrateDeploy } from "~/db/prisma-cli.server";
import { assertRedisReachable } from "~/redis.server";
import { assertDatabaseReachable } from "~/preflight.server";
import { ADMIN_DATABASE_URL, databaseUrl, templateDatabaseName, withAdminClient } from "../support/postgres";

/**
 * Runs once per test run: checks that PostgreSQL and Redis answer (with the line saying what to start), and
 * prepares a template database with every migration applied. Each test file then clones it (per-file.ts),
 * which takes milliseconds where `migrate deploy` takes seconds.
 */
export default async function setup() {
  await assertDatabaseReachable(ADMIN_DATABASE_URL);
  await assertRedisReachable(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379");

  const template = templateDatabaseName();
  const exists = await withAdminClient(async (client) => {
    const result = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    return (result.rowCount ?? 0) > 0;
  });
  if (!exists) {
    const building = `${template}_building_${process.pid}`;
    await withAdminClient((client) => client.query(`CREATE DATABASE "${building}"`));
    try {
      await migrateDeploy(databaseUrl(building));
      // Renaming makes the finished template appear atomically to concurrent runs.
      await withAdminClient((client) => client.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`));
    } catch (error) {
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`));
      if (!/already exists/.test(String(error))) throw error;
    }
  }
  process.env.UPLINE_TEST_TEMPLATE = template;

  // Tests that start the web process serve the production build: build it once, from the current sources, into
  // a directory of this run's own (inside the project, so the server bundle still resolves node_modules).
  const buildDir = path.resolve("node_modules", ".cache", "upline-test-builds", String(process.pid));
  process.env.UPLINE_BUILD_DIR = buildDir;
  await buildApp();
  return () => rm(buildDir, { recursive: true, force: true });
}

function buildApp(): Promise<void> {
  const cli = createRequire(import.meta.url).resolve("@remix-run/dev/dist/cli.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "vite:build", "--logLevel", "error"], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`remix vite:build failed:\n${stderr}`))));
  });
}
