import http from "node:http";
import { db } from "~/db.server";
import { logger } from "~/logger.server";
import { metricsText, registerInboxGauges, registerReconciliationGauges } from "~/services/metrics/metrics.server";

/** GET /metrics for Prometheus on the worker process (job durations and failures, the inbox backlog). */
export function serveMetrics(port: number): http.Server {
  registerInboxGauges(db());
  registerReconciliationGauges(db());
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    metricsText().then(
      ({ contentType, body }) => res.writeHead(200, { "Content-Type": contentType }).end(body),
      (error: Error) => {
        logger.warn({ err: error.message }, "metrics scrape failed");
        res.writeHead(503).end();
      },
    );
  });
  server.listen(port, () => logger.info({ port: (server.address() as { port: number }).port }, "worker metrics on /metrics"));
  server.unref();
  return server;
}
