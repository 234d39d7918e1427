import path from "node:path";
import express, { type ErrorRequestHandler, type RequestHandler, type Response as ExpressResponse } from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { ingestForConnection, ingestShopify } from "~/services/ingest/ingest.server";
import { ingestDeps, shopifyIngestDeps } from "~/services/ingest/runtime-deps.server";
import { metricsText, registerInboxGauges, registerReconciliationGauges } from "~/services/metrics/metrics.server";
import { db } from "~/db.server";
import { errorResponse } from "~/services/http/error-map.server";
import { problem } from "~/services/http/problem.server";

/**
 * What the Express routes answer to an error they did not handle: problem+json from the one error map (503
 * while PostgreSQL is down, 500 with a logged error id otherwise), never Express's HTML page with a stack.
 */
export const problemErrorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  send(res, clientError(error) ?? errorResponse(error, { method: req.method, path: req.path })).catch(next);
};

/**
 * Express's own layers (the static file server, route parameter decoding) report the client's mistakes as
 * errors carrying a 4xx `status` (the http-errors convention): a 4xx problem, not a 500.
 */
function clientError(error: unknown): Response | null {
  const status = Number((error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode);
  if (!Number.isInteger(status) || status < 400 || status > 499) return null;
  return problem({ status, type: "bad-request", title: "Bad request", detail: "The request cannot be read." });
}

/**
 * A path whose percent-escapes do not decode to UTF-8 (`/ingest/%E0%A4%A`), or decode to NUL, names no resource:
 * 400 before any router sees it. Remix and the static server threw on the first (500), and a NUL reached
 * PostgreSQL as an id, which refuses it (500).
 */
const refuseUndecodablePath: RequestHandler = (req, res, next) => {
  let decoded: string | null;
  try {
    decoded = decodeURIComponent(req.path);
  } catch {
    decoded = null;
  }
  if (decoded !== null && !decoded.includes("\u0000")) return next();
  send(
    res,
    problem({ status: 400, type: "malformed-path", title: "Malformed path", detail: "The request path is not valid percent-encoded UTF-8 text." }),
  ).catch(next);
};

async function send(res: ExpressResponse, response: Response): Promise<void> {
  res.status(response.status);
  response.headers.forEach((value, name) => res.setHeader(name, value));
  // Answered before the body was read (413): the rest of it is still on the socket, where the client's next
  // request would wait behind it. Closing the connection is the only clean end.
  if (!res.req.complete) res.setHeader("Connection", "close");
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * The production web app: static assets, then the webhook ingest on a direct Express route, then Remix.
 * Ingest runs in front of Remix because it is the one path that must answer hundreds of deliveries a second on
 * two cores, and Remix's per-request routing and Request construction measured a fifth of its CPU. Both the
 * Express route and app/routes/ingest.* (used by Vite's dev server) call the same service.
 */
export function createWebApp(build: ServerBuild, options: { buildDir: string; mode: string }) {
  const app = express();
  app.disable("x-powered-by");
  app.use(refuseUndecodablePath);
  app.use("/assets", express.static(path.join(options.buildDir, "client", "assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(options.buildDir, "client"), { maxAge: "1h" }));

  app.post("/ingest/shopify", (req, res, next) => {
    ingestShopify({ headers: req.headers, body: req }, shopifyIngestDeps()).then((response) => send(res, response), next);
  });
  app.post("/ingest/:platform/:connectionId", (req, res, next) => {
    const { platform, connectionId } = req.params;
    ingestForConnection({ headers: req.headers, body: req }, platform, connectionId, ingestDeps()).then((response) => send(res, response), next);
  });

  app.get("/metrics", (_req, res, next) => {
    registerInboxGauges(db());
    registerReconciliationGauges(db());
    metricsText().then(({ contentType, body }) => res.type(contentType).send(body), next);
  });

  app.all("*", createRequestHandler({ build, mode: options.mode }));
  app.use(problemErrorHandler);
  return app;
}
