/**
 * `npm run db:migration -- NAME`: writes prisma/migrations/<timestamp>_NAME/migration.sql with the SQL that takes
 * the existing migrations to prisma/schema/*.prisma. `prisma migrate dev` needs an interactive terminal and a
 * native engine download; `migrate diff` through the JS engine works offline.
 *
 * The diff replays the migrations into a throwaway shadow database, which needs a real PostgreSQL server
 * (PGlite serves a single database), so DATABASE_URL must point at one.
 *
 * Prisma 6.19's WASM schema engine crashes ("RuntimeError: unreachable") while diffing a database that has CHECK
 * constraints, exclusion constraints or constraint triggers (all in pg_constraint), which the schema language
 * cannot express anyway. The diff therefore replays a copy of the migrations without the statements that only
 * add such constraints: they are hand-written, stay in the real migrations, and the generated SQL neither adds
 * nor drops them.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runPrismaCli } from "~/db/prisma-cli.server";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name_in_snake_case>");
  process.exit(2);
}
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("db:migration needs a PostgreSQL server for its shadow database: set DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres).");
  process.exit(2);
}

const MIGRATIONS_DIR = path.resolve("prisma", "migrations");
const hasMigrations = readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).some((entry) => entry.isDirectory());
const replayDir = hasMigrations ? migrationsWithoutChecks() : null;
const from = replayDir ? ["--from-migrations", replayDir] : ["--from-empty"];

/**
 * `ALTER TABLE … ADD CONSTRAINT … CHECK (…), …;` statements whose every clause adds a CHECK (or EXCLUDE)
 * constraint, and `CREATE CONSTRAINT TRIGGER …;` statements.
 */
function isCheckOnlyStatement(statement: string): boolean {
  const body = statement.replace(/^(\s*--[^\n]*\n)+/, "");
  if (/^\s*CREATE\s+CONSTRAINT\s+TRIGGER\s/i.test(body)) return true;
  const match = /^\s*ALTER TABLE\s+("[^"]+"|\w+)\s+([\s\S]*)$/i.exec(body);
  if (!match) return false;
  const clauses = match[2]!.split(/,\s*(?=ADD\s+CONSTRAINT)/i);
  return clauses.every((clause) => /^\s*ADD\s+CONSTRAINT\s+("[^"]+"|\w+)\s+(CHECK|EXCLUDE)\b/i.test(clause));
}

function migrationsWithoutChecks(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "upline-migrations-"));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = path.join(dir, entry.name, "migration.sql");
    const statements = readFileSync(file, "utf8").split(/;\s*\n/);
    writeFileSync(file, statements.filter((statement) => !isCheckOnlyStatement(statement)).join(";\n"));
  }
  return dir;
}

try {
  const { stdout } = await runPrismaCli(["migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema", "--script"], databaseUrl);
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
} finally {
  if (replayDir) rmSync(replayDir, { recursive: true, force: true });
}
