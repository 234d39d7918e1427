/**
 * The atoms of the API's response schemas (app/services/api/openapi.server.ts documents every JSON body from
 * zod schemas built of these): ids are UUID strings, instants ISO 8601 in UTC, days YYYY-MM-DD. The services
 * that build a body are typed against its schema (`z.input<typeof …>`), so a body and its documentation
 * cannot disagree without tsc failing; test/api/openapi.test.ts checks real bodies against the document.
 */
import { z } from "zod";

/** Our ids (PostgreSQL gen_random_uuid()). */
export const idJson = z.uuid();
/** `Date.toISOString()`: UTC with milliseconds. */
export const instantJson = z.iso.datetime();
/** A calendar day, `YYYY-MM-DD`. */
export const dayJson = z.iso.date();
/** Points (PV/CV) as an exact decimal string with two decimals (hundredthsToPoints), never a float. */
export const pointsJson = z.string().regex(/^-?\d+\.\d{2}$/);
/** JSON as stored (snapshots, summaries, flags): any JSON value, documented as such. */
export const anyJson = z.unknown();
