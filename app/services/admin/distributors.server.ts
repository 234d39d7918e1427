/**
 * The admin's Distributors pages: what they show and the forms they submit. Every change goes through the
 * genealogy services the REST API uses (createDistributor, moveSponsor, changeDistributorStatus), so the admin
 * adds no rule of its own; refusals (a cycle, a taken code) come back as a message for the field.
 */
import { z } from "zod";
import { isStorableText, isSupportedInstant, UNSTORABLE_TEXT_MESSAGE } from "~/domain/input-atoms";
import { formatMinor } from "~/domain/money";
import { problem, validationProblem } from "~/services/http/problem.server";
import { hundredthsToPoints } from "~/domain/engine";
import { GenealogyError } from "~/domain/genealogy/errors";
import type { Db } from "~/db.server";
import { createDistributor, getDistributor, listDistributors } from "~/services/genealogy/distributors.server";
import { GenealogyServiceError } from "~/services/genealogy/errors.server";
import { moveSponsor } from "~/services/genealogy/move-sponsor.server";
import { changeDistributorStatus } from "~/services/genealogy/status.server";
import { queueCouponSyncForShop } from "~/services/shopify/admin-jobs.server";
import { downlinePage, uplineDetailsAt } from "~/services/genealogy/queries.server";
import { walletBalances } from "~/services/ledger/balances.server";

export type FormOutcome =
  { readonly ok: true; readonly message: string; readonly distributorId?: string } | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `must be at most ${max} characters` })
    .refine(isStorableText, { error: UNSTORABLE_TEXT_MESSAGE })
    .transform((text) => (text === "" ? null : text));

/** datetime-local fields carry no zone; the admin labels them UTC. Empty: now. */
const utcInstant = z
  .string()
  .trim()
  .transform((text, ctx) => {
    if (text === "") return new Date();
    const date = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);
    if (!isSupportedInstant(date.getTime())) {
      ctx.addIssue({ code: "custom", message: "must be a date and time between 1970 and 2199" });
      return z.NEVER;
    }
    return date;
  });

const createForm = z.object({
  name: optionalText(200),
  email: optionalText(320).refine((email) => email === null || z.email().safeParse(email).success, { error: "must be an e-mail address" }),
  code: optionalText(32),
  sponsor: optionalText(64),
});

const moveForm = z.object({
  newSponsor: z.string().trim().min(1, { error: "is required" }).max(64).refine(isStorableText, { error: UNSTORABLE_TEXT_MESSAGE }),
  effectiveFrom: utcInstant,
  reason: z.string().trim().min(1, { error: "is required: say why, for the audit log" }).max(1_000).refine(isStorableText, { error: UNSTORABLE_TEXT_MESSAGE }),
});

const statusForm = z.object({
  status: z.enum(["active", "inactive", "terminated"], { error: "must be active, inactive or terminated" }),
  effectiveFrom: utcInstant,
  reason: optionalText(1_000),
});

function fieldErrors(error: z.ZodError): FormOutcome {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return { ok: false, errors };
}

/** A refusal by the genealogy rules, as a message on the form (the field it concerns when known). */
function refusal(error: unknown, field: string): FormOutcome | null {
  if (error instanceof GenealogyServiceError || error instanceof GenealogyError) return { ok: false, errors: { [field]: error.message } };
  return null;
}

export async function createFromForm(db: Db, shopId: string, form: FormData, actor: string): Promise<FormOutcome> {
  const parsed = createForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return fieldErrors(parsed.error);
  try {
    const result = await createDistributor(db, shopId, { ...parsed.data, actor });
    return {
      ok: true,
      distributorId: result.distributorId,
      message: result.created ? "Distributor created" : "This person already exists: nothing was created",
    };
  } catch (error) {
    const field =
      error instanceof GenealogyServiceError && error.code === "unknown_sponsor"
        ? "sponsor"
        : error instanceof GenealogyServiceError && error.code === "email_taken"
          ? "email"
          : "code";
    const outcome = refusal(error, field);
    if (outcome) return outcome;
    throw error;
  }
}

export async function moveFromForm(db: Db, shopId: string, distributorId: string, form: FormData, actor: string): Promise<FormOutcome> {
  const parsed = moveForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return fieldErrors(parsed.error);
  try {
    const move = await moveSponsor(db, shopId, { distributorId, ...parsed.data, actor });
    return { ok: true, message: `Moved from ${move.effectiveFrom.toISOString().replace("T", " ").slice(0, 16)} UTC` };
  } catch (error) {
    const outcome = refusal(error, "newSponsor");
    if (outcome) return outcome;
    throw error;
  }
}

export async function statusFromForm(db: Db, shopId: string, distributorId: string, form: FormData, actor: string): Promise<FormOutcome> {
  const parsed = statusForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return fieldErrors(parsed.error);
  try {
    await changeDistributorStatus(db, shopId, distributorId, {
      status: parsed.data.status,
      effectiveFrom: parsed.data.effectiveFrom,
      reason: parsed.data.reason ?? undefined,
      actor,
    });
    await queueCouponSyncForShop(db, shopId);
    return { ok: true, message: `Status is now ${parsed.data.status}` };
  } catch (error) {
    const outcome = refusal(error, "status");
    if (outcome) return outcome;
    throw error;
  }
}

// A hand-edited `after` or a search with NUL / broken unicode reached PostgreSQL and came back as a 500.
const listParams = z.object({ q: z.string().max(100).refine(isStorableText).nullable(), after: z.uuid().nullable() });

/** The list page; a malformed search or cursor is a 400 (thrown as a problem+json Response). */
export async function distributorList(db: Db, shopId: string, params: URLSearchParams) {
  const parsed = listParams.safeParse({ q: params.get("q"), after: params.get("after") });
  if (!parsed.success) throw problem(validationProblem(400, parsed.error.issues, "The search text or the page cursor is invalid."));
  return listDistributors(db, shopId, { search: parsed.data.q, after: parsed.data.after, limit: 50 }).then((page) => ({
    items: page.items.map((item) => ({ ...item, enrolledAt: item.enrolledAt.toISOString() })),
    nextAfter: page.nextAfter,
  }));
}

const DETAIL_UPLINE_LEVELS = 10;
const DETAIL_DOWNLINE_DEPTH = 3;

/** One distributor with their upline, first downline page and balances, as of now; null outside this shop. */
export async function distributorDetail(db: Db, shopId: string, idOrCode: string, now = new Date()) {
  const profile = await getDistributor(db, shopId, idOrCode);
  if (!profile) return null;
  const [upline, downline, balances] = await Promise.all([
    uplineDetailsAt(db, shopId, profile.id, now, DETAIL_UPLINE_LEVELS),
    downlinePage(db, shopId, profile.id, now, DETAIL_DOWNLINE_DEPTH, null),
    walletBalances(db, shopId, profile.id),
  ]);
  return {
    profile: {
      ...profile,
      enrolledAt: profile.enrolledAt.toISOString(),
      redactedAt: profile.redactedAt?.toISOString() ?? null,
      rank: profile.rank ? { ...profile.rank, periodStart: profile.rank.periodStart.toISOString().slice(0, 10) } : null,
    },
    upline,
    downline: {
      levels: downline.levels.map((level) => ({ level: level.level, members: level.members, pv: hundredthsToPoints(level.pvHundredths) })),
      members: downline.members.map((member) => ({ ...member, pvHundredths: undefined, pv: hundredthsToPoints(member.pvHundredths) })),
      more: downline.next !== null,
    },
    balances: balances.map((balance) => ({
      currency: balance.currency,
      pending: formatMinor(balance.pendingMinor, balance.currency),
      available: formatMinor(balance.availableMinor, balance.currency),
    })),
  };
}
