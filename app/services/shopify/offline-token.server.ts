/**
 * The shop's offline Admin API token, refreshed when it is about to expire. With `expiringOfflineAccessTokens`
 * (app/shopify.server.ts) an offline token lives one hour and comes with a refresh token; the library's
 * `unauthenticated.admin(shop)` loads the offline session and, within five minutes of expiry, exchanges the
 * refresh token and stores the new pair. Background callers (the Admin API client's `accessToken` setting) should
 * read the token through this rather than from the Session row, or they stop working an hour after install.
 */
import { unauthenticated } from "~/shopify.server";

export async function refreshedOfflineAccessToken(shop: string): Promise<string | null> {
  try {
    const { session } = await unauthenticated.admin(shop);
    return session.accessToken ?? null;
  } catch (error) {
    // No offline session: the app is not installed (or was uninstalled) on this shop.
    // (The library does not export the class; its constructor name is stable.)
    if (error instanceof Error && error.constructor.name === "SessionNotFoundError") return null;
    throw error;
  }
}
