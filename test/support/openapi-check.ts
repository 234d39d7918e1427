import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type Document = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
};

/**
 * Checks a response body against the schema the OpenAPI document gives for that operation and status (the
 * exact code, else its class such as "4XX"); returns the validator's errors, empty when it conforms.
 */
export function responseErrors(document: Document, method: string, pathTemplate: string, status: number, body: unknown): string[] {
  const responses = document.paths[pathTemplate]?.[method.toLowerCase()]?.responses;
  if (!responses) return [`${method} ${pathTemplate} is not documented`];
  const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
  if (!response) return [`${method} ${pathTemplate} documents no ${status} response`];
  const media = response.content?.[status >= 400 ? "application/problem+json" : "application/json"];
  if (!media) return [`${method} ${pathTemplate} ${status} documents no body`];
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: "components", components: document.components });
  const schema = JSON.parse(JSON.stringify(media.schema).replaceAll('"#/components/', '"components#/components/')) as object;
  const validate = ajv.compile(schema);
  return validate(body) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || "(body)"} ${error.message ?? ""}`);
}
