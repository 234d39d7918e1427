import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createWebApp } from "../../scripts/web-app";
import { connectQueues } from "~/queues.server";
import type { ServerBuild } from "@remix-run/node";

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The production web app (scripts/web-app.ts around the build the global setup made), in the test's own
 * process, so it shares the test file's database and Redis prefix. Requests go over real HTTP on loopback.
 */
export async function startAppServer(): Promise<TestServer> {
  const buildDir = path.resolve(process.env.UPLINE_BUILD_DIR ?? "build");
  const build = (await import(pathToFileURL(path.join(buildDir, "server", "index.js")).href)) as ServerBuild;
  const app = createWebApp(build, { buildDir, mode: "production" });
  // As scripts/serve.ts does: the queues finish starting before the first request.
  await connectQueues();
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  // As scripts/serve.ts does: idle sockets outlive the client's keep-alive, so a reused socket is never one the
  // server is closing at that moment (Node's 5 s default raced the client after a slow test: ECONNRESET).
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
