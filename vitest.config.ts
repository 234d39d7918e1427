import { configDefaults, defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Two projects: `unit` runs the pure domain in parallel; `integration` talks to real PostgreSQL and Redis,
// one database and one Redis key prefix per test file (test/setup/*), prepared once by the global setup.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    reporters: ["default", "./test/support/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          // test/lint checks the lint rules themselves: no database, so it runs with the unit tests.
          include: ["app/**/*.test.ts", "extensions/**/*.test.ts", "test/lint/**/*.test.ts"],
          environment: "node",
          // Property tests run hundreds of cases; on a 2-core machine with other work the 5 s default is too close.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "test/lint/**"],
          environment: "node",
          globalSetup: ["test/setup/global-setup.ts"],
          setupFiles: ["test/setup/per-file.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
        },
      },
    ],
  },
});
