import { afterAll, beforeAll } from "vitest";
import { coreConfig } from "~/config.server";
import { startWorkers, type RunningWorkers } from "../../workers/start-workers";
import { startAppServer, type TestServer } from "./app-server";

export interface AppAndWorkers {
  readonly server: TestServer;
  readonly workers: RunningWorkers;
}

/**
 * The production web app and the workers, in this test file's process (so they share its database and Redis
 * prefix), started before the file's tests and stopped after them. Call it at the top level, before the file's
 * own beforeAll, which then runs with both up.
 */
export function runAppAndWorkers(): AppAndWorkers {
  let server: TestServer | undefined;
  let workers: RunningWorkers | undefined;
  beforeAll(async () => {
    server = await startAppServer();
    workers = await startWorkers(coreConfig());
  });
  afterAll(async () => {
    await workers?.close(true);
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error("the app server is not started yet: use it inside a test or a later hook");
      return server;
    },
    get workers() {
      if (!workers) throw new Error("the workers are not started yet: use them inside a test or a later hook");
      return workers;
    },
  };
}
