/**
 * Issue 15, defect 9: the web process under hostile or broken clients. An early 413 left the request body on
 * the socket, so the client's next request on that connection hung; /healthz showed internal error text (the
 * database's name, host and port) to anyone; `npm run web` ran in development mode (stack traces on error
 * pages); each request to an unknown connection id left a cache entry that was never evicted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import net from "node:net";
import { coreConfig } from "~/config.server";
import { db } from "~/db.server";
import { connectionCacheSize, connectionForIngest, CONNECTION_CACHE_LIMITS } from "~/services/ingest/connection-cache.server";
import { startAppServer, type TestServer } from "../support/app-server";
import { withAdminClient } from "../support/postgres";
import { spawnScript } from "../support/processes";

let server: TestServer;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(async () => {
  await server?.close();
});

/** Sends raw bytes on one keep-alive socket and collects what comes back until the server closes it or `ms` pass. */
function rawExchange(port: number, writes: (socket: net.Socket) => void, ms: number): Promise<{ received: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    let closedByServer = false;
    socket.on("data", (chunk) => (received += chunk.toString("latin1")));
    socket.on("error", () => {});
    socket.on("end", () => (closedByServer = true));
    socket.on("close", () => (closedByServer = true));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received, closedByServer });
    }, ms);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve({ received, closedByServer });
    });
    socket.on("connect", () => writes(socket));
  });
}

describe("an early 413", () => {
  it("closes the connection, so no later request waits behind the unread body", async () => {
    const port = Number(new URL(server.url).port);
    const declared = coreConfig().INGEST_MAX_BODY_BYTES * 2;
    const { received, closedByServer } = await rawExchange(
      port,
      (socket) => {
        socket.write(
          `POST /ingest/shopify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\nConnection: keep-alive\r\n\r\n`,
        );
        socket.write("x".repeat(64 * 1024));
        // The client's next request on the same socket, after the part of the body it managed to send.
        setTimeout(() => socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 300);
      },
      5_000,
    );
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toMatch(/\r\nconnection: close\r\n/i);
    expect(closedByServer).toBe(true);
  });
});

describe("/healthz", () => {
  it("says only up or down while PostgreSQL refuses connections: no error text, host or database name", async () => {
    const database = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    await withAdminClient(async (admin) => {
      await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS false`);
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [database]);
    });
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${server.url}/healthz`);
      text = await response.text();
    } finally {
      await withAdminClient((admin) => admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS true`));
    }
    expect(response.status).toBe(503);
    const body = JSON.parse(text) as Record<string, Record<string, unknown>>;
    expect(body).toMatchObject({ status: "degraded", database: { status: "down" }, redis: { status: "up" } });
    expect(Object.keys(body.database!).sort()).toEqual(["latencyMs", "status"]);
    expect(text).not.toContain(database);
    expect(text).not.toMatch(/127\.0\.0\.1|5432|postgres|error/i);
  });
});

describe("npm run web", () => {
  it("serves in production mode when NODE_ENV is not set", async () => {
    const web = spawnScript("scripts/serve.ts", { NODE_ENV: undefined, PORT: "0", LOG_LEVEL: "info" });
    try {
      await web.waitFor(/web listening/, 60_000);
      expect(web.output()).toMatch(/"mode":"production"[^\n]*web listening/);
    } finally {
      web.child.kill("SIGTERM");
      await web.exit();
    }
  });
});

describe("the connection cache", () => {
  it("stays bounded under a flood of unknown connection ids, and looks each up once while it remembers it", async () => {
    const before = connectionCacheSize();
    const ids = Array.from({ length: CONNECTION_CACHE_LIMITS.unknown + 300 }, () => randomUUID());
    for (let i = 0; i < ids.length; i += 50) await Promise.all(ids.slice(i, i + 50).map((id) => connectionForIngest(db(), id)));
    expect(connectionCacheSize()).toBeLessThanOrEqual(before + CONNECTION_CACHE_LIMITS.unknown);

    const queried: string[] = [];
    const counting = new Proxy(db(), {
      get: (target, property) =>
        property === "connection"
          ? { findUnique: (args: { where: { id: string } }) => (queried.push(args.where.id), target.connection.findUnique(args as never)) }
          : Reflect.get(target, property),
    });
    const id = randomUUID();
    await Promise.all(Array.from({ length: 20 }, () => connectionForIngest(counting, id)));
    await connectionForIngest(counting, id);
    expect(queried).toEqual([id]);
  });
});
