import { createHash, randomBytes } from "node:crypto";
import type { Db } from "~/db.server";
import { ProblemError } from "~/services/http/problem.server";

export const API_SCOPES = [
  "orders:write",
  "orders:read",
  "distributors:read",
  "distributors:write",
  "ledger:read",
  "periods:read",
  "periods:write",
  "plans:read",
  "plans:write",
  "catalog:read",
  "catalog:write",
  "settings:read",
  "settings:write",
  "connections:read",
  "connections:write",
  "payouts:read",
  "payouts:write",
] as const;
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

export interface ApiTokenSummary {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** The shop's tokens, newest first; never the token itself (only its hash is kept). */
export function listApiTokens(db: Db, shopId: string): Promise<ApiTokenSummary[]> {
  return db.apiToken.findMany({
    where: { shopId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** Revokes one of the shop's tokens (from then on it answers 401); false when the shop has no such live token. */
export async function revokeApiToken(db: Db, shopId: string, tokenId: string): Promise<boolean> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tokenId)) return false;
  const { count } = await db.apiToken.updateMany({ where: { shopId, id: tokenId, revokedAt: null }, data: { revokedAt: new Date() } });
  return count === 1;
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
  const token = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(match[1]!) },
    select: { id: true, shopId: true, scopes: true, revokedAt: true, lastUsedAt: true },
  });
  if (!token || token.revokedAt) {
    throw new ProblemError({ status: 401, type: "unauthenticated", title: "Unauthenticated", detail: "The API token is unknown or revoked." }, challenge);
  }
  if (!token.scopes.includes(scope)) {
    throw new ProblemError({ status: 403, type: "insufficient-scope", title: "Insufficient scope", detail: `The token lacks the ${scope} scope.`, scope });
  }
  await noteUse(db, token.id, token.lastUsedAt);
  return { shopId: token.shopId, tokenId: token.id };
}

/** `lastUsedAt` to the minute: one write per token and minute at most, never a reason to refuse a request. */
const LAST_USED_RESOLUTION_MS = 60_000;

async function noteUse(db: Db, tokenId: string, lastUsedAt: Date | null, now = new Date()): Promise<void> {
  if (lastUsedAt && now.getTime() - lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  try {
    await db.apiToken.update({ where: { id: tokenId }, data: { lastUsedAt: now } });
  } catch {
    // Bookkeeping only: the request itself was authenticated.
  }
}
