/**
 * The web process: Remix's production build behind Express. Stateless, so any number can run behind a load
 * balancer. Checks configuration, PostgreSQL and Redis before it listens, and fails fast with one line.
 */
process.env.UPLINE_PROCESS ??= "web";
// `npm run web` serves the production build: production unless told otherwise (development mode shows stack
// traces on error pages to anyone).
process.env.NODE_ENV ??= "production";

import path from "node:path";
import { pathToFileURL } from "node:url";
import { createWebApp } from "./web-app";
import type { ServerBuild } from "@remix-run/node";
import { readConfig } from "~/config.server";
import { exitOnStartupError, preflight } from "~/preflight.server";
import { logger } from "~/logger.server";
import { connectQueues } from "~/queues.server";

const BUILD_DIR = path.resolve(process.env.UPLINE_BUILD_DIR ?? "build");

async function main() {
  const settings = readConfig();
  await preflight(settings);
  await connectQueues();
  const build = (await import(pathToFileURL(path.join(BUILD_DIR, "server", "index.js")).href)) as ServerBuild;

  const app = createWebApp(build, { buildDir: BUILD_DIR, mode: settings.NODE_ENV });

  const server = app.listen(settings.PORT, "0.0.0.0", () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : settings.PORT;
    logger.info({ port, mode: settings.NODE_ENV }, `web listening on http://localhost:${port}`);
    process.send?.({ type: "listening", port });
  });
  server.keepAliveTimeout = 65_000;
  server.once("error", (error: NodeJS.ErrnoException) => {
    const reason = error.code === "EADDRINUSE" ? `port ${settings.PORT} is already in use; set PORT to a free one` : error.message;
    process.stderr.write(`upline: the web process cannot listen: ${reason}\n`);
    process.exit(1);
  });

  const shutdown = (signal: string) => {
    logger.info({ signal }, "web shutting down");
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 8_000).unref();
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  // Started by the launcher: when it dies without stopping us, its IPC channel closes; do not linger as an orphan.
  process.once("disconnect", () => shutdown("launcher gone"));
}

main().catch(exitOnStartupError);
