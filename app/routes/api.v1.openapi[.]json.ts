import { openApiDocument } from "~/services/api/openapi.server";

// GET /api/v1/openapi.json — the API's OpenAPI 3.1 document (public: it describes, it reveals no data).
export const loader = ({ request }: { request: Request }) => Response.json(openApiDocument(new URL(request.url).origin));
