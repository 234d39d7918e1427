import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ingestForConnection } from "~/services/ingest/ingest.server";
import { ingestDeps } from "~/services/ingest/runtime-deps.server";
import { problem } from "~/services/http/problem.server";

export const action = async ({ request, params }: ActionFunctionArgs) =>
  ingestForConnection(request, params.platform ?? "", params.connectionId ?? "", ingestDeps());

// Adobe I/O Events proves a webhook URL by sending GET ?challenge=… and expecting it echoed back.
export const loader = ({ request, params }: LoaderFunctionArgs) => {
  const challenge = new URL(request.url).searchParams.get("challenge");
  if (params.platform === "magento" && challenge) return Response.json({ challenge });
  return problem({ status: 405, type: "method-not-allowed", title: "Method not allowed", detail: "Deliver webhooks with POST." }, { Allow: "POST" });
};
