import { createHash, randomBytes } from "node:crypto";
import type { Db } from "~/db.server";
import { ProblemError } from "~/services/http/problem.server";

export const API_SCOPES = ["orders:write", "orders:read", "distributors:read", "distributors:write", "ledger:read", "periods:read", "periods:write", "plans:read", "payouts:read", "payouts:write"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

const TOKEN_PREFIX = "upl_";

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates a token and returns its only plaintext copy; the database keeps a SHA-256 hash. */
export async function createApiToken(db: Db, shopId: string, name: string, scopes: readonly ApiScope[]) {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await db.apiToken.create({ data: { shopId, name, scopes: [...scopes], tokenHash: hashToken(token) } });
  return { id: row.id, token };
}

export interface ApiCaller {
  shopId: string;
  tokenId: string;
}

/** `Authorization: Bearer upl_…` → the shop it belongs to; 401 without a valid token, 403 without the scope. */
export async function authenticateApiRequest(db: Db, request: Request, scope: ApiScope): Promise<ApiCaller> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(upl_[A-Za-z0-9_-]{20,})$/.exec(header.trim());
  const challenge = { "WWW-Authenticate": 'Bearer realm="upline"' };
  if (!match) {
    throw new ProblemError({ status: 401, type: "unauthenticated", title: "Unauthenticated", detail: "Send Authorization: Bearer <API token>." }, challenge);
  }
  const token = await db.apiToken.findUnique({ where: { tokenHash: hashToken(match[1]!) }, select: { id: true, shopId: true, scopes: true, revokedAt: true } });
  if (!token || token.revokedAt) {
    throw new ProblemError({ status: 401, type: "unauthenticated", title: "Unauthenticated", detail: "The API token is unknown or revoked." }, challenge);
  }
  if (!token.scopes.includes(scope)) {
    throw new ProblemError({ status: 403, type: "insufficient-scope", title: "Insufficient scope", detail: `The token lacks the ${scope} scope.`, scope });
  }
  return { shopId: token.shopId, tokenId: token.id };
}
