import { ProblemError } from "./problem.server";

/**
 * Reads the raw body as bytes, refusing anything over `limit` before it is buffered whole: the declared
 * Content-Length is checked first, then the bytes actually received (a sender may omit or understate it).
 */
export async function readBodyWithLimit(request: Request, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new ProblemError({ status: 413, type: "payload-too-large", title: "Payload too large", detail: `The body exceeds ${limit} bytes.`, limit });
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);

  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
