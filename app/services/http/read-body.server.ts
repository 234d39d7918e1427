import { readHeader, type HeaderSource } from "~/domain/platforms/headers";
import { ProblemError } from "./problem.server";

/** What the body reader needs of a request: a Fetch Request and a Node IncomingMessage both fit. */
export interface IncomingBody {
  headers: HeaderSource;
  body: AsyncIterable<Uint8Array> | null;
}

/**
 * Reads the raw body as bytes, refusing anything over `limit` before it is buffered whole: the declared
 * Content-Length is checked first, then the bytes actually received (a sender may omit or understate it).
 */
export async function readBodyWithLimit(request: IncomingBody, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new ProblemError({ status: 413, type: "payload-too-large", title: "Payload too large", detail: `The body exceeds ${limit} bytes.`, limit });
  const declared = Number(readHeader(request.headers, "content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);

  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of request.body) {
    received += chunk.byteLength;
    if (received > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
