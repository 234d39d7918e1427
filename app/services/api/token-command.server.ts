/**
 * `npm run token -- <create|list|revoke> …`: API tokens for operators and scripts, through the same functions
 * the app uses (createApiToken keeps only a SHA-256 hash; the plaintext is printed once, alone on stdout, so
 * `TOKEN=$(npm run -s token -- create …)` works). Exported as a function so a test can run it in-process too.
 */
import { parseArgs } from "node:util";
import type { Db } from "~/db.server";
import { findShopByDomain } from "~/services/shops.server";
import { API_SCOPES, createApiToken, listApiTokens, revokeApiToken, type ApiScope } from "./tokens.server";

export const TOKEN_USAGE = `Usage:
  npm run token -- create --shop <domain> --scopes <comma list or all> [--name <name>] [--create-shop]
  npm run token -- list --shop <domain>
  npm run token -- revoke --shop <domain> --id <token id>
Scopes: ${API_SCOPES.join(", ")}`;

export interface TokenCommandOutput {
  /** What a script reads: the token (create), one line per token (list), the revoked id (revoke). */
  readonly out: (line: string) => void;
  /** What a person reads: confirmations and refusals. */
  readonly err: (line: string) => void;
}

/** Thrown for a refusal the operator can fix (unknown shop, bad scope); the script prints it and exits 2. */
export class TokenCommandError extends Error {
  override name = "TokenCommandError";
}

/** "all" → every scope; otherwise each listed scope must exist, so a typo is refused, never silently dropped. */
export function parseScopes(text: string | undefined): ApiScope[] {
  if (!text || text.trim() === "") throw new TokenCommandError(`--scopes is required (a comma list, or "all").\n${TOKEN_USAGE}`);
  if (text.trim() === "all") return [...API_SCOPES];
  const scopes = [
    ...new Set(
      text
        .split(",")
        .map((scope) => scope.trim())
        .filter((scope) => scope !== ""),
    ),
  ];
  const unknown = scopes.filter((scope) => !(API_SCOPES as readonly string[]).includes(scope));
  if (unknown.length > 0) throw new TokenCommandError(`Unknown scope(s): ${unknown.join(", ")}. Known: ${API_SCOPES.join(", ")}.`);
  return scopes as ApiScope[];
}

async function shopIdFor(db: Db, domain: string | undefined, create: boolean): Promise<string> {
  if (!domain || !/^[a-z0-9][a-z0-9.-]{1,253}$/i.test(domain))
    throw new TokenCommandError(`--shop <domain> is required (e.g. my-shop.myshopify.com).\n${TOKEN_USAGE}`);
  const normalized = domain.toLowerCase();
  const shop = await findShopByDomain(db, normalized);
  if (shop) return shop.id;
  // A typo must not mint a token for a shop nobody installed: creating one is explicit.
  if (!create) throw new TokenCommandError(`No shop ${normalized}. Install the app on it first, or pass --create-shop for a shop that only uses the API.`);
  return (await db.shop.create({ data: { domain: normalized } })).id;
}

export async function runTokenCommand(db: Db, argv: readonly string[], output: TokenCommandOutput): Promise<void> {
  const [command, ...rest] = argv;
  let values: { shop?: string; scopes?: string; name?: string; id?: string; "create-shop"?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...rest],
      options: { shop: { type: "string" }, scopes: { type: "string" }, name: { type: "string" }, id: { type: "string" }, "create-shop": { type: "boolean" } },
      strict: true,
    }));
  } catch (error) {
    throw new TokenCommandError(`${(error as Error).message}\n${TOKEN_USAGE}`);
  }

  switch (command) {
    case "create": {
      const scopes = parseScopes(values.scopes);
      const shopId = await shopIdFor(db, values.shop, values["create-shop"] === true);
      const name = values.name?.trim() || `cli ${new Date().toISOString().slice(0, 10)}`;
      const created = await createApiToken(db, shopId, name, scopes);
      output.err(`Created token ${created.id} "${name}" for ${values.shop!.toLowerCase()} with ${scopes.join(", ")}. It is shown once: store it now.`);
      output.out(created.token);
      return;
    }
    case "list": {
      const shopId = await shopIdFor(db, values.shop, false);
      for (const token of await listApiTokens(db, shopId)) {
        const state = token.revokedAt ? `revoked ${token.revokedAt.toISOString()}` : "active";
        const used = token.lastUsedAt ? token.lastUsedAt.toISOString() : "never";
        output.out([token.id, token.name, token.scopes.join(","), `created ${token.createdAt.toISOString()}`, `last used ${used}`, state].join("\t"));
      }
      return;
    }
    case "revoke": {
      const shopId = await shopIdFor(db, values.shop, false);
      if (!values.id || !(await revokeApiToken(db, shopId, values.id)))
        throw new TokenCommandError(`No active token ${values.id ?? "(--id missing)"} for ${values.shop}.`);
      output.err(`Revoked token ${values.id}.`);
      output.out(values.id);
      return;
    }
    default:
      throw new TokenCommandError(TOKEN_USAGE);
  }
}
