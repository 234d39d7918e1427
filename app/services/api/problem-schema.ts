import { z } from "zod";

/** The shape of every problem+json body (RFC 9457 plus our `errors` and `error_id`): documented and tested. */
export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.int().min(400).max(599),
  detail: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  error_id: z.uuid().optional(),
});
