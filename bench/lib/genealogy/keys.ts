/**
 * Bulk loading a migrated database fast: the keys, foreign keys and indexes of the tables being loaded (and
 * foreign keys from other tables into them) are read from the catalog, dropped, and re-created after the load
 * from their own definitions, so the result is exactly what the migrations built, whatever they build.
 */
import type pg from "pg";

interface Definition {
  table: string;
  name: string;
  kind: "key" | "foreign key" | "index";
  definition: string;
}

export interface SavedKeys {
  definitions: Definition[];
  restore(client: pg.Client, log: (line: string) => void): Promise<void>;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function dropKeys(client: pg.Client, tables: readonly string[]): Promise<SavedKeys> {
  const regclasses = tables.map(quote);
  const constraints = await client.query<{ table: string; name: string; type: string; definition: string }>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name, c.contype AS type, pg_get_constraintdef(c.oid) AS definition
     FROM pg_constraint c
     WHERE (c.contype IN ('p', 'u', 'x') AND c.conrelid = ANY($1::regclass[]))
        OR (c.contype = 'f' AND (c.conrelid = ANY($1::regclass[]) OR c.confrelid = ANY($1::regclass[])))
     ORDER BY c.conname`,
    [regclasses],
  );
  const indexes = await client.query<{ table: string; name: string; definition: string }>(
    `SELECT i.indrelid::regclass::text AS table, i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     WHERE i.indrelid = ANY($1::regclass[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
     ORDER BY 2`,
    [regclasses],
  );
  const definitions: Definition[] = [
    ...constraints.rows.map((row) => ({
      table: row.table,
      name: row.name,
      kind: row.type === "f" ? ("foreign key" as const) : ("key" as const),
      definition: row.definition,
    })),
    ...indexes.rows.map((row) => ({ table: row.table, name: row.name, kind: "index" as const, definition: row.definition })),
  ];
  const of = (kind: Definition["kind"]) => definitions.filter((d) => d.kind === kind);
  for (const fk of of("foreign key")) await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${quote(fk.name)}`);
  for (const key of of("key")) await client.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${quote(key.name)}`);
  for (const index of of("index")) await client.query(`DROP INDEX ${index.name}`);
  return {
    definitions,
    async restore(restoreClient, log) {
      for (const key of of("key")) {
        await restoreClient.query(`ALTER TABLE ${key.table} ADD CONSTRAINT ${quote(key.name)} ${key.definition}`);
      }
      for (const index of of("index")) await restoreClient.query(index.definition);
      log(`restored ${of("key").length} keys and ${of("index").length} indexes`);
      for (const fk of of("foreign key")) {
        await restoreClient.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${quote(fk.name)} ${fk.definition}`);
      }
      log(`restored ${of("foreign key").length} foreign keys`);
    },
  };
}
