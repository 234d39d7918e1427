import { db } from "~/db.server";
import { redis } from "~/queues.server";
import { checkHealth } from "~/services/health.server";

// For load balancers and operators: 200 when PostgreSQL and Redis both answer, 503 (same body) when one does not.
export const loader = async () => {
  const health = await checkHealth(db(), redis());
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
};
