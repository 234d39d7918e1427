/**
 * `npm run token -- create --shop <domain> --scopes <comma list or all>`: prints a new API token (and only the
 * token) on stdout; `list` and `revoke` too. The work is runTokenCommand (app/services/api/token-command.server.ts).
 * Needs only DATABASE_URL: no Shopify keys, no Redis.
 */
import { createPrismaClient } from "~/db.server";
import { runTokenCommand, TokenCommandError } from "~/services/api/token-command.server";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  process.stderr.write("npm run token needs DATABASE_URL (the app's PostgreSQL database).\n");
  process.exit(2);
}
const db = createPrismaClient(databaseUrl, 1);
try {
  await runTokenCommand(db, process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
} catch (error) {
  process.stderr.write(`${error instanceof TokenCommandError ? error.message : String((error as Error).stack ?? error)}\n`);
  process.exitCode = error instanceof TokenCommandError ? 2 : 1;
} finally {
  await db.$disconnect();
}
