/**
 * RFC 9457 problem details: every error our HTTP surfaces return is `application/problem+json` with a stable,
 * machine-readable `type` (a URN under upline:problem) and a human `detail`.
 */
export interface ProblemInit {
  status: number;
  type: string;
  title: string;
  detail?: string;
  [extension: string]: unknown;
}

export function problem({ status, type, title, detail, ...extensions }: ProblemInit, headers?: HeadersInit): Response {
  const body = { type: `urn:upline:problem:${type}`, title, status, ...(detail ? { detail } : {}), ...extensions };
  const responseHeaders = new Headers(headers);
  responseHeaders.set("Content-Type", "application/problem+json");
  return new Response(JSON.stringify(body), { status, headers: responseHeaders });
}

export class ProblemError extends Error {
  constructor(readonly init: ProblemInit, readonly headers?: HeadersInit) {
    super(init.detail ?? init.title);
    this.name = "ProblemError";
  }

  toResponse(): Response {
    return problem(this.init, this.headers);
  }
}
