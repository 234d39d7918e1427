/** fetch with a deadline; a network error or a timeout becomes ProviderUnavailableError (outcome unknown). */
import { ProviderUnavailableError } from "./types";

export async function callProvider(name: string, url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new ProviderUnavailableError(`${name}: ${error instanceof Error ? error.name : "error"} calling ${new URL(url).pathname}`);
  }
}

export async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
