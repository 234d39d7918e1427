/**
 * A PostgreSQL and a Redis of the chaos run's own, on free ports, so it can stop the database and flush Redis
 * without touching the machine's shared servers (other test files run on those at the same time). Both come
 * from the same Debian packages CI installs; PostgreSQL refuses to run as root, so as root it runs as the
 * `postgres` user.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function postgresBin(tool: string): string {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)");
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return path.join(root, versions[0]!, "bin", tool);
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL tool as the cluster's owner: `postgres` when we are root, else ourselves. */
function pgTool(tool: string, args: string[]) {
  return asRoot ? run("runuser", ["-u", "postgres", "--", postgresBin(tool), ...args]) : run(postgresBin(tool), args);
}

export interface PrivatePostgres {
  readonly port: number;
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), "upline-chaos-pg-"));
  const dataDir = path.join(dir, "data");
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
    chmodSync(dir, 0o700);
  }
  await pgTool("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = async () => {
    await pgTool("pg_ctl", ["-D", dataDir, "-o", options, "-l", path.join(dir, "log"), "-w", "start"]);
  };
  await start();
  return {
    port,
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      await pgTool("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-c", `CREATE DATABASE "${name}"`]);
    },
    // Fast shutdown: every connection is cut, as when a database server crashes or fails over.
    stop: async () => {
      await pgTool("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
    },
    start,
    async destroy() {
      await pgTool("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivateRedis {
  readonly url: string;
  destroy(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const ok = await run("redis-cli", ["-p", String(port), "ping"]).then(
      ({ stdout }) => stdout.trim() === "PONG",
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async destroy() {
      child.kill("SIGKILL");
    },
  };
}
