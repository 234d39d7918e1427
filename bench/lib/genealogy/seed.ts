/**
 * Seeds a migrated scratch database with the benchmark tree: generate `seed_node`, drop the loaded tables'
 * keys and indexes, load every table set-based, restore the keys exactly as migrated, vacuum and analyze.
 * Returns the seconds of each step; all of them count as seeding.
 */
import type pg from "pg";
import { dropKeys } from "./keys";
import { GENEALOGY_TABLES, loadStatements, PERIOD_TABLES, type LoadOptions } from "./load";
import { timed } from "./measure";
import { seedNodesSql, type TreeShape } from "./tree";

export async function seedTree(
  client: pg.Client,
  shape: TreeShape,
  shopId: string,
  now: string,
  options: LoadOptions,
  log: (line: string) => void,
): Promise<Record<string, number>> {
  const steps: Record<string, number> = {};
  const tables = [...GENEALOGY_TABLES, ...PERIOD_TABLES];
  await timed(steps, "generate tree", () => client.query(seedNodesSql(shape, now, '"DistributorStatus"')), log);
  const keys = await timed(steps, "drop keys and indexes", () => dropKeys(client, tables), log);
  for (const { table, sql } of loadStatements(shape, shopId, now, options)) {
    await timed(steps, `load ${table}`, () => client.query(sql), log);
  }
  await timed(steps, "restore keys, indexes, foreign keys", () => keys.restore(client, log), log);
  await timed(
    steps,
    "vacuum analyze",
    async () => {
      for (const table of tables) await client.query(`VACUUM ANALYZE "${table}"`);
    },
    log,
  );
  return steps;
}
