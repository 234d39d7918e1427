import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { queues } from "~/queues.server";
import { PIXEL_CORS_HEADERS, recordPixelReport } from "~/services/attribution/pixel-signal.server";
import { problem } from "~/services/http/problem.server";
import { errorResponse } from "~/services/http/error-map.server";

// The Web Pixel's checkout report (extensions/referral-pixel). Unsigned by nature: see the service for what it may do.
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: PIXEL_CORS_HEADERS });
  if (request.method !== "POST")
    return problem(
      { status: 405, type: "method-not-allowed", title: "Method not allowed", detail: "Report with POST." },
      { Allow: "POST", ...PIXEL_CORS_HEADERS },
    );
  try {
    return await recordPixelReport(request, { db: db(), queues: queues() });
  } catch (error) {
    return errorResponse(error);
  }
};

export const loader = () => problem({ status: 405, type: "method-not-allowed", title: "Method not allowed", detail: "Report with POST." }, { Allow: "POST" });
