/**
 * `npm run db:migration -- NAME`: writes prisma/migrations/<timestamp>_NAME/migration.sql with the SQL that takes
 * the existing migrations to prisma/schema/*.prisma. `prisma migrate dev` needs an interactive terminal and a
 * native engine download; `migrate diff` through the JS engine works offline.
 *
 * The diff replays the migrations into a throwaway shadow database, which needs a real PostgreSQL server
 * (PGlite serves a single database), so DATABASE_URL must point at one.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runPrismaCli } from "~/db/prisma-cli.server";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name_in_snake_case>");
  process.exit(2);
}
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error(
    "db:migration needs a PostgreSQL server for its shadow database: set DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres).",
  );
  process.exit(2);
}

const MIGRATIONS_DIR = path.resolve("prisma", "migrations");
const hasMigrations = readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).some((entry) => entry.isDirectory());
const from = hasMigrations ? ["--from-migrations", MIGRATIONS_DIR] : ["--from-empty"];

try {
  const { stdout } = await runPrismaCli(
    ["migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema", "--script"],
    databaseUrl,
  );
  if (!stdout.trim() || /^-- This is an empty migration/m.test(stdout)) {
    console.log("The schema matches the migrations: nothing to write.");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), stdout);
    console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
