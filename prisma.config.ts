import { defineConfig } from "prisma/config";
import { migrationAdapter } from "./app/db/migration-adapter.ts";

// Prisma 6.19 with the JS schema engine: `migrate deploy` and `migrate diff` run without downloading a native
// engine, which is impossible on offline machines (../shared/notes/prisma-offline.md). Prisma 7 dropped this option.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  // One file per area (base, inbox, orders, …) so each area's models stay together.
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: run migrations through `npm run db:migrate`, which provides it");
    return migrationAdapter(url);
  },
});
