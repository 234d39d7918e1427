/**
 * Writes test/support/api-paths.ts: the TypeScript `paths` of /api/v1 generated (openapi-typescript) from the
 * OpenAPI document the app serves. The API tests drive the API through openapi-fetch with these types, and
 * test/api/openapi.test.ts fails when the committed file differs from a fresh generation.
 *   npm run api:types
 */
import { writeFileSync } from "node:fs";
import { apiPathsSource } from "./api-types-source";

writeFileSync("test/support/api-paths.ts", await apiPathsSource());
console.log("wrote test/support/api-paths.ts");
