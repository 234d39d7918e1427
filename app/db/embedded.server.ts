import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { keepExtendedQueriesTogether } from "./pglite-queue-patch.server";

/**
 * The embedded default: PostgreSQL compiled to WASM (PGlite), persisted under `.data/`, served over the
 * PostgreSQL wire protocol on loopback so the web process, the workers and `prisma migrate deploy` all reach it
 * through the same pg driver they use against a real server. One process owns the data directory; the others
 * connect to its socket. Right for the demo and local runs, not for production load.
 */

export interface EmbeddedPostgres {
  readonly url: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Directory for the database files; `memory://` keeps everything in RAM (tests). */
  dataDir?: string;
  /** 0 picks a free port. */
  port?: number;
  maxConnections?: number;
}

export const DEFAULT_EMBEDDED_DATA_DIR = path.resolve(".data", "pglite");

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const dataDir = options.dataDir ?? DEFAULT_EMBEDDED_DATA_DIR;
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  // btree_gist: the genealogy's no-overlap exclusion constraints (migration 20261205100200) need it.
  // pg_trgm: the admin search of distributors by name and e-mail fragments (migration 20261206000100).
  const database = await PGlite.create(dataDir, { extensions: { btree_gist, pg_trgm } });
  const server = new PGLiteSocketServer({
    db: database,
    host: "127.0.0.1",
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 32,
  });
  keepExtendedQueriesTogether(server);
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgresql://postgres@${address}/postgres?sslmode=disable`,
    dataDir,
    async stop() {
      await server.stop();
      await database.close();
    },
  };
}
