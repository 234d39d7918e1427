/** The ingest benchmark's baseline: the least a webhook receiver can do — read the body, check the HMAC, answer. */
import { createServer } from "node:http";
import { verifyHmacSha256Base64 } from "~/domain/platforms/signatures";

const secret = process.env.BENCH_SECRET ?? "";
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const ok = verifyHmacSha256Base64(Buffer.concat(chunks), [secret], String(request.headers["x-shopify-hmac-sha256"] ?? ""));
    response.writeHead(ok ? 200 : 401).end();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening on ${typeof address === "object" && address ? address.port : 0}`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
