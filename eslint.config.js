// ESLint 9 flat config: typescript-eslint's recommended rules, React and hooks rules for the admin and portal UI.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", "app/generated/**", ".data/**", ".cache/**", "extensions/**/assets/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { react, "react-hooks": reactHooks },
    settings: { react: { version: "18" } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs["jsx-runtime"].rules,
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-imports": "off",
    },
  },
  {
    // The domain stays framework-free so it can move with the app (Remix → React Router) unchanged.
    files: ["app/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@remix-run/*", "@shopify/*", "react", "react-dom"], message: "app/domain is framework-free." },
            { group: ["bullmq", "ioredis", "pg", "@prisma/*", "~/generated/*", "**/*.server", "~/*.server"], message: "app/domain does no IO." },
            {
              group: [
                "node:fs",
                "node:fs/*",
                "fs",
                "fs/*",
                "node:net",
                "net",
                "node:child_process",
                "child_process",
                "node:http",
                "http",
                "node:https",
                "https",
              ],
              message: "app/domain does no IO: files, sockets, processes and HTTP belong in app/services.",
            },
          ],
        },
      ],
      // Configuration is read once by app/config.server.ts and passed in; the domain never looks at the environment.
      "no-restricted-globals": ["error", { name: "process", message: "app/domain takes its inputs as arguments, not from the process." }],
    },
  },
  {
    files: ["**/*.{js,cjs,mjs}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
