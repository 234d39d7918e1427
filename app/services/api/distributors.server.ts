/**
 * The /api/v1/distributors surface over the genealogy services: query and body validation (zod, errors naming
 * the field), the shop scoping (always the token's shop), JSON shapes, and mapping refusals to problem+json.
 * Routes stay glue: authenticate, call one of these, respond.
 */
import { hundredthsToPoints } from "~/domain/engine";
import { z } from "zod";
import { instantText } from "~/domain/input-atoms";
import { PLATFORMS } from "~/domain/platforms/normalized";
import { answered, storedProblem, type StoredResponse } from "~/services/api/idempotency.server";
import { anyJson, dayJson, idJson, instantJson, pointsJson } from "~/services/api/response-atoms";
import { DistributorStatus, GenealogyTree, Platform } from "~/generated/prisma/enums";
import { areaProblem } from "~/services/http/error-map.server";
import { parseOrProblem, ProblemError, validationProblem } from "~/services/http/problem.server";
import type { DbOrTx } from "~/db/tx.server";
import { createDistributor, getDistributor, listDistributors, type DistributorProfile } from "~/services/genealogy/distributors.server";
import { latestDistributorExport, storeDistributorExport } from "~/services/genealogy/data-subject.server";
import { findDistributorByIdOrCode } from "~/services/genealogy/lookup.server";
import { movePlacement } from "~/services/genealogy/move-placement.server";
import { moveSponsor } from "~/services/genealogy/move-sponsor.server";
import { decodeDownlineCursor, downlinePage, encodeDownlineCursor, MAX_DOWNLINE_DEPTH, uplineDetailsAt } from "~/services/genealogy/queries.server";
import { changeDistributorStatus } from "~/services/genealogy/status.server";
import { queueCouponSyncForShop } from "~/services/shopify/admin-jobs.server";

/** Service and domain refusals as problem+json (thrown for loaders, returned for idempotent POSTs): the one table. */
export const refusalProblem = areaProblem;

async function asStored(work: () => Promise<StoredResponse>): Promise<StoredResponse> {
  try {
    return await work();
  } catch (error) {
    const refusal = refusalProblem(error);
    if (refusal) return storedProblem(refusal.init);
    throw error;
  }
}

function notFound(idOrCode: string): ProblemError {
  return new ProblemError({ status: 404, type: "not-found", title: "Not found", detail: `No distributor ${idOrCode}.` });
}

async function resolve(client: DbOrTx, shopId: string, idOrCode: string) {
  const found = await findDistributorByIdOrCode(client, shopId, idOrCode);
  if (!found) throw notFound(idOrCode);
  return found;
}

function parseQuery<T extends z.ZodType>(schema: T, params: URLSearchParams): z.infer<T> {
  return parseOrProblem(schema, Object.fromEntries(params), "query");
}

// Inside the supported range (1970–2199): year 0000 has no PostgreSQL form and was a 500.
const instant = instantText.transform((text) => new Date(text));

const distributorRef = z.strictObject({ id: idJson, code: z.string() });
const distributorStatus = z.enum(DistributorStatus);

/** One distributor as GET /api/v1/distributors/:id answers it (POST …/status too). */
export const distributorResponse = z.strictObject({
  id: idJson,
  code: z.string(),
  external_id: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  status: distributorStatus,
  is_company_node: z.boolean(),
  enrolled_at: instantJson,
  redacted_at: instantJson.nullable(),
  sponsor: distributorRef.nullable(),
  // The current placement edge as stored (a root has none: null).
  placement: z.strictObject({ parentId: idJson.nullable(), position: z.int().nullable() }).nullable(),
  rank: z.strictObject({ achieved: z.string(), paid_as: z.string().nullable(), period_start: dayJson }).nullable(),
  customers: z.array(z.strictObject({ platform: z.enum(Platform), id: z.string() })),
  direct_recruits: z.int().min(0),
});

export function profileJson(profile: DistributorProfile): z.input<typeof distributorResponse> {
  return {
    id: profile.id,
    code: profile.code,
    external_id: profile.externalId,
    name: profile.name,
    email: profile.email,
    status: profile.status,
    is_company_node: profile.isCompanyNode,
    enrolled_at: profile.enrolledAt.toISOString(),
    redacted_at: profile.redactedAt?.toISOString() ?? null,
    sponsor: profile.sponsor ? { id: profile.sponsor.id, code: profile.sponsor.code } : null,
    placement: profile.placement ? { parentId: profile.placement.parentId, position: profile.placement.position } : null,
    rank: profile.rank
      ? { achieved: profile.rank.achievedRank, paid_as: profile.rank.paidAsRank, period_start: profile.rank.periodStart.toISOString().slice(0, 10) }
      : null,
    customers: profile.customers.map((customer) => ({ platform: customer.platform, id: customer.id })),
    direct_recruits: profile.directRecruits,
  };
}

// ---- POST /api/v1/distributors ------------------------------------------------------------------------------

export const createDistributorBody = z
  .object({
    external_id: z.string().min(1).max(255).optional(),
    email: z.email().max(320).optional(),
    name: z.string().min(1).max(200).optional(),
    code: z.string().min(3).max(64).optional(),
    sponsor: z.string().min(1).max(64).optional(),
    enrolled_at: instant.optional(),
    customer: z
      .object({ platform: z.enum(PLATFORMS), id: z.string().min(1).max(255) })
      .strict()
      .optional(),
  })
  .strict();

/** 201 when enrolled now, 200 when the same person was already there (`created: false`). */
export const createdDistributorResponse = distributorResponse.extend({ created: z.boolean() });

export function createDistributorRequest(client: DbOrTx, shopId: string, tokenId: string, body: unknown): Promise<StoredResponse> {
  return asStored(async () => {
    const parsed = createDistributorBody.safeParse(body);
    if (!parsed.success) return storedProblem(validationProblem(422, parsed.error.issues, "The distributor has invalid or missing fields."));
    const input = parsed.data;
    if (input.sponsor && !(await findDistributorByIdOrCode(client, shopId, input.sponsor))) {
      return storedProblem(validationProblem(422, [{ path: ["sponsor"], message: `no distributor ${input.sponsor} in this shop` }], "The sponsor is unknown."));
    }
    const result = await createDistributor(client, shopId, {
      externalId: input.external_id ?? null,
      email: input.email ?? null,
      name: input.name ?? null,
      code: input.code ?? null,
      sponsor: input.sponsor ?? null,
      enrolledAt: input.enrolled_at ?? null,
      customer: input.customer ?? null,
      actor: `api:${tokenId}`,
    });
    const profile = await getDistributor(client, shopId, result.distributorId);
    return answered(createdDistributorResponse, result.created ? 201 : 200, { ...profileJson(profile!), created: result.created });
  });
}

// ---- GET /api/v1/distributors -------------------------------------------------------------------------------

export const listQuery = z.object({
  search: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.uuid().optional(),
});

export const distributorListResponse = z.strictObject({
  items: z.array(
    z.strictObject({
      id: idJson,
      code: z.string(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      status: distributorStatus,
      enrolled_at: instantJson,
    }),
  ),
  /** The last id of this page when there are more: pass it back as `after`. */
  next_after: idJson.nullable(),
});

export async function listDistributorsRequest(client: DbOrTx, shopId: string, params: URLSearchParams): Promise<z.input<typeof distributorListResponse>> {
  const query = parseQuery(listQuery, params);
  const page = await listDistributors(client, shopId, { search: query.search ?? null, limit: query.limit, after: query.after ?? null });
  return {
    items: page.items.map((item) => ({
      id: item.id,
      code: item.code,
      name: item.name,
      email: item.email,
      status: item.status,
      enrolled_at: item.enrolledAt.toISOString(),
    })),
    next_after: page.nextAfter,
  };
}

// ---- GET /api/v1/distributors/:id ----------------------------------------------------------------------------

export async function distributorRequest(client: DbOrTx, shopId: string, idOrCode: string): Promise<z.input<typeof distributorResponse>> {
  const profile = await getDistributor(client, shopId, idOrCode);
  if (!profile) throw notFound(idOrCode);
  return profileJson(profile);
}

// ---- GET /api/v1/distributors/:id/upline?at=&levels= --------------------------------------------------------

export const uplineQuery = z.object({
  at: instant.optional(),
  levels: z.coerce.number().int().min(1).max(1_000).default(10),
});

export const uplineResponse = z.strictObject({
  distributor: distributorRef,
  at: instantJson,
  upline: z.array(
    z.strictObject({
      level: z.int().min(1),
      id: idJson,
      code: z.string(),
      status: distributorStatus,
      paid_as_rank: z.string().nullable(),
      is_company_node: z.boolean(),
    }),
  ),
});

export async function uplineRequest(client: DbOrTx, shopId: string, idOrCode: string, params: URLSearchParams): Promise<z.input<typeof uplineResponse>> {
  const query = parseQuery(uplineQuery, params);
  const node = await resolve(client, shopId, idOrCode);
  const at = query.at ?? new Date();
  const upline = await uplineDetailsAt(client, shopId, node.id, at, query.levels);
  return {
    distributor: { id: node.id, code: node.code },
    at: at.toISOString(),
    upline: upline.map((entry) => ({
      level: entry.level,
      id: entry.distributorId,
      code: entry.code,
      status: entry.status,
      paid_as_rank: entry.paidAsRank,
      is_company_node: entry.isCompanyNode,
    })),
  };
}

// ---- GET /api/v1/distributors/:id/downline?depth=&cursor=&at= -----------------------------------------------

export const downlineQuery = z.object({
  at: instant.optional(),
  depth: z.coerce.number().int().min(1).max(MAX_DOWNLINE_DEPTH).default(3),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const downlineResponse = z.strictObject({
  distributor: distributorRef,
  at: instantJson,
  depth: z.int().min(1),
  levels: z.array(z.strictObject({ level: z.int().min(1), members: z.int().min(0), pv: pointsJson })),
  members: z.array(z.strictObject({ level: z.int().min(1), id: idJson, code: z.string(), status: distributorStatus, pv: pointsJson })),
  /** Pass back as `cursor` for the next page; null on the last. */
  next_cursor: z.string().nullable(),
});

export async function downlineRequest(client: DbOrTx, shopId: string, idOrCode: string, params: URLSearchParams): Promise<z.input<typeof downlineResponse>> {
  const query = parseQuery(downlineQuery, params);
  const cursor = query.cursor ? decodeDownlineCursor(query.cursor) : null;
  if (query.cursor && !cursor) {
    throw new ProblemError(
      validationProblem(400, [{ path: ["cursor"], message: "must be the next_cursor of a previous page" }], "A query parameter is invalid."),
    );
  }
  const node = await resolve(client, shopId, idOrCode);
  const at = query.at ?? new Date();
  const page = await downlinePage(client, shopId, node.id, at, query.depth, cursor, query.limit);
  return {
    distributor: { id: node.id, code: node.code },
    at: at.toISOString(),
    depth: query.depth,
    levels: page.levels.map((level) => ({ level: level.level, members: level.members, pv: hundredthsToPoints(level.pvHundredths) })),
    members: page.members.map((member) => ({
      level: member.level,
      id: member.distributorId,
      code: member.code,
      status: member.status,
      pv: hundredthsToPoints(member.pvHundredths),
    })),
    next_cursor: page.next ? encodeDownlineCursor(page.next) : null,
  };
}

// ---- POST /api/v1/distributors/:id/moves ---------------------------------------------------------------------

export const moveBody = z.discriminatedUnion("tree", [
  z
    .object({ tree: z.literal("sponsor"), new_sponsor: z.string().min(1).max(64), effective_from: instant, reason: z.string().trim().min(1).max(1_000) })
    .strict(),
  z
    .object({
      tree: z.literal("placement"),
      new_parent: z.string().min(1).max(64),
      position: z.int().min(0).max(99),
      effective_from: instant,
      reason: z.string().trim().min(1).max(1_000),
    })
    .strict(),
]);

export const moveResponse = z.strictObject({
  move_id: idJson,
  tree: z.enum(GenealogyTree),
  distributor_id: idJson,
  from_parent_id: idJson.nullable(),
  to_parent_id: idJson,
  position: z.int().nullable(),
  effective_from: instantJson,
});

export function moveRequest(client: DbOrTx, shopId: string, tokenId: string, idOrCode: string, body: unknown): Promise<StoredResponse> {
  return asStored(async () => {
    const node = await findDistributorByIdOrCode(client, shopId, idOrCode);
    if (!node) return storedProblem(notFound(idOrCode).init);
    const parsed = moveBody.safeParse(body);
    if (!parsed.success) return storedProblem(validationProblem(422, parsed.error.issues, "The move has invalid or missing fields."));
    const move = parsed.data;
    const actor = `api:${tokenId}`;
    const recorded =
      move.tree === "sponsor"
        ? await moveSponsor(client, shopId, {
            distributorId: node.id,
            newSponsor: move.new_sponsor,
            effectiveFrom: move.effective_from,
            reason: move.reason,
            actor,
          })
        : await movePlacement(client, shopId, {
            distributorId: node.id,
            newParent: move.new_parent,
            position: move.position,
            effectiveFrom: move.effective_from,
            reason: move.reason,
            actor,
          });
    return answered(moveResponse, 201, {
      move_id: recorded.moveId,
      tree: recorded.tree,
      distributor_id: node.id,
      from_parent_id: recorded.fromParentId,
      to_parent_id: recorded.toParentId,
      position: recorded.position ?? null,
      effective_from: recorded.effectiveFrom.toISOString(),
    });
  });
}

// ---- POST /api/v1/distributors/:id/status --------------------------------------------------------------------

export const statusBody = z
  .object({ status: z.enum(["active", "inactive", "terminated"]), effective_from: instant.optional(), reason: z.string().trim().min(1).max(1_000) })
  .strict();

export function statusRequest(client: DbOrTx, shopId: string, tokenId: string, idOrCode: string, body: unknown): Promise<StoredResponse> {
  return asStored(async () => {
    const node = await findDistributorByIdOrCode(client, shopId, idOrCode);
    if (!node) return storedProblem(notFound(idOrCode).init);
    const parsed = statusBody.safeParse(body);
    if (!parsed.success) return storedProblem(validationProblem(422, parsed.error.issues, "The status change has invalid or missing fields."));
    await changeDistributorStatus(client, shopId, node.id, {
      status: parsed.data.status,
      effectiveFrom: parsed.data.effective_from,
      reason: parsed.data.reason,
      actor: `api:${tokenId}`,
    });
    // The affiliate's Shopify coupon follows their status (disabled unless active), after the change committed.
    await queueCouponSyncForShop(client, shopId);
    return answered(distributorResponse, 200, await distributorRequest(client, shopId, node.id));
  });
}

// ---- GET /api/v1/distributors/:id/export -----------------------------------------------------------------------

/** The latest stored data-subject export; one is built and stored first when there is none yet. */
export const distributorExportResponse = z.strictObject({
  export_id: idJson,
  /** `api:<token id>`, `webhook:customers/data_request`, … */
  requested_by: z.string(),
  created_at: instantJson,
  /** Everything held on the distributor, as stored when the export was made. */
  data: anyJson,
});

export async function exportRequest(client: DbOrTx, shopId: string, tokenId: string, idOrCode: string): Promise<z.input<typeof distributorExportResponse>> {
  const node = await resolve(client, shopId, idOrCode);
  let stored = await latestDistributorExport(client, shopId, node.id);
  if (!stored) {
    await storeDistributorExport(client, shopId, node.id, `api:${tokenId}`);
    stored = await latestDistributorExport(client, shopId, node.id);
  }
  return { export_id: stored!.id, requested_by: stored!.requestedBy, created_at: stored!.createdAt.toISOString(), data: stored!.payload };
}
