import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { resolveDatabase, type ResolvedDatabase } from "~/db/database-url.server";
import { migrateDeploy } from "~/db/prisma-cli.server";
import { readConfig } from "~/config.server";
import { assertRedisReachable } from "~/redis.server";
import { exitOnStartupError } from "~/preflight.server";

const require = createRequire(import.meta.url);
const REMIX_CLI = require.resolve("@remix-run/dev/dist/cli.js");

export interface LaunchOptions {
  env: Record<string, string | undefined>;
  build: boolean;
  log: (line: string) => void;
}

export interface Launched {
  database: ResolvedDatabase;
  port: number;
  stop(): Promise<void>;
  /** Resolves when a child exits on its own (a crash): the caller stops everything. */
  exited: Promise<{ name: string; code: number | null }>;
}

function runToCompletion(args: string[], env: NodeJS.ProcessEnv, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited with ${code}`))));
  });
}

function startChild(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", script], { env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
}

function waitForMessage(child: ChildProcess, type: string, name: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (message && typeof message === "object" && (message as { type?: string }).type === type) {
        child.off("exit", onExit);
        resolve(message as Record<string, unknown>);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`${name} exited with ${code} before it was ready`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/**
 * Starts Upline as an operator would: the database (DATABASE_URL, or the embedded one under .data/), its
 * migrations, a fresh production build, then the web and worker processes. Fails fast, with one line, when
 * configuration or Redis is missing, before anything slow happens.
 */
export async function launch(options: LaunchOptions): Promise<Launched> {
  const { env, log } = options;
  const settings = readConfig({ ...env, DATABASE_URL: env.DATABASE_URL || "postgresql://placeholder/check" });
  await assertRedisReachable(settings.REDIS_URL);

  const database = await resolveDatabase(env);
  log(database.embedded ? `embedded PostgreSQL (${database.embedded.dataDir}) on ${database.url}` : "PostgreSQL at DATABASE_URL");
  try {
    await migrateDeploy(database.url);
    log("migrations applied");
    if (options.build || !existsSync("build/server/index.js")) {
      log("building the app…");
      await runToCompletion([REMIX_CLI, "vite:build", "--logLevel", "warn"], { ...process.env, ...env }, "remix vite:build");
    }
  } catch (error) {
    await database.stop();
    throw error;
  }

  // PGlite answers one query at a time; small pools keep its queue short and fair between the two processes.
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    DATABASE_URL: database.url,
    ...(database.embedded ? { DATABASE_POOL_MAX: env.DATABASE_POOL_MAX ?? "4", UPLINE_EMBEDDED_DATABASE: "1" } : {}),
    NODE_ENV: (env.NODE_ENV ?? "production") as "production",
  };
  const web = startChild("web", "scripts/serve.ts", childEnv);
  const worker = startChild("worker", "workers/index.ts", childEnv);
  const children = [web, worker];
  const stopAll = async () => {
    await Promise.all(children.map(stopChild));
    await database.stop();
  };

  const exited = new Promise<{ name: string; code: number | null }>((resolve) => {
    web.once("exit", (code) => resolve({ name: "web", code }));
    worker.once("exit", (code) => resolve({ name: "worker", code }));
  });

  try {
    const [listening] = await Promise.all([waitForMessage(web, "listening", "web"), waitForMessage(worker, "ready", "worker")]);
    return { database, port: Number(listening.port), stop: stopAll, exited };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Stops children and the embedded database on SIGINT/SIGTERM, and exits with a crashed child's code. */
export function superviseUntilSignal(launched: Launched, log: (line: string) => void, onStop?: () => Promise<void>): void {
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await launched.stop();
    await onStop?.();
    process.exit(code);
  };
  process.once("SIGINT", () => void stop(0));
  process.once("SIGTERM", () => void stop(0));
  void launched.exited.then(({ name, code }) => {
    if (stopping) return;
    log(`${name} exited with ${code}; stopping`);
    void stop(code || 1);
  });
}

export function loadDotEnv(): void {
  if (existsSync(".env")) process.loadEnvFile(".env");
}

export { exitOnStartupError };
