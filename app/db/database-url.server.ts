import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded.server";

export interface ResolvedDatabase {
  url: string;
  embedded: EmbeddedPostgres | null;
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise the embedded PostgreSQL under .data/, owned by the calling process. */
export async function resolveDatabase(env: Record<string, string | undefined> = process.env): Promise<ResolvedDatabase> {
  const url = env.DATABASE_URL?.trim();
  if (url) return { url, embedded: null, stop: async () => {} };
  const embedded = await startEmbeddedPostgres({ dataDir: env.UPLINE_EMBEDDED_DATA_DIR });
  return { url: embedded.url, embedded, stop: () => embedded.stop() };
}
