/** `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the embedded database when it is unset. */
import { resolveDatabase } from "~/db/database-url.server";
import { migrateDeploy } from "~/db/prisma-cli.server";

const database = await resolveDatabase();
try {
  const target = database.embedded ? `the embedded database (${database.embedded.dataDir})` : "DATABASE_URL";
  console.log(`Applying migrations to ${target}…`);
  const { stdout } = await migrateDeploy(database.url);
  console.log(stdout.trim());
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await database.stop();
}
