/** Payout methods (per distributor) and the shop's payout settings, as the merchant or the portal sets them. */
import { z } from "zod";
import type { Db } from "~/db.server";
import { PAYOUT_METHODS } from "~/domain/payouts";
import { PayoutServiceError } from "./errors.server";
import { setTaxFormStatus, TAX_FORM_STATUSES } from "./tax-form.server";

const minor = z.union([z.string().regex(/^\d{1,18}$/), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)]).transform((v) => BigInt(v));

export const payoutMethodBody = z
  .object({
    method: z.enum(PAYOUT_METHODS),
    // paypal: {email}; stripe: {account_id}; store_credit: {customer_id (GID)}; bank: {account_holder, iban | account_number + routing_number}
    details: z
      .object({
        email: z.email().optional(),
        account_id: z
          .string()
          .regex(/^acct_[A-Za-z0-9]+$/)
          .optional(),
        customer_id: z
          .string()
          .regex(/^gid:\/\/shopify\/Customer\/\d+$/)
          .optional(),
        account_holder: z.string().max(200).optional(),
        iban: z.string().max(64).optional(),
        account_number: z.string().max(64).optional(),
        routing_number: z.string().max(32).optional(),
      })
      .strict()
      .default({}),
    on_hold: z.boolean().default(false),
    hold_reason: z.string().max(500).nullable().default(null),
    // Optional: when given, sets the distributor's tax form status (POST …/tax-form does only that).
    tax_form_status: z.enum(TAX_FORM_STATUSES).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const need: Record<string, keyof typeof body.details> = { paypal: "email", stripe: "account_id", store_credit: "customer_id" };
    const field = need[body.method];
    if (field && !body.details[field]) ctx.addIssue({ code: "custom", path: ["details", field], message: `${body.method} needs details.${field}` });
  });

export const payoutSettingsBody = z
  .object({
    minimum_minor: minor.default(0n),
    method_minimums: z.partialRecord(z.enum(PAYOUT_METHODS), minor).default({}),
    schedule: z.enum(["manual", "weekly", "monthly"]).default("manual"),
    auto_approve: z.boolean().default(false),
  })
  .strict();

export async function setPayoutMethod(db: Db, shopId: string, distributorId: string, body: z.output<typeof payoutMethodBody>, actor: string) {
  const distributor = await db.distributor.findFirst({ where: { shopId, id: distributorId }, select: { id: true, redactedAt: true } });
  if (!distributor) throw new PayoutServiceError("unknown_distributor", `no distributor ${distributorId} in this shop`);
  // Stored camelCase, as the CSV export and the providers read it.
  const details = {
    email: body.details.email,
    accountId: body.details.account_id,
    customerId: body.details.customer_id,
    accountHolder: body.details.account_holder,
    iban: body.details.iban,
    accountNumber: body.details.account_number,
    routingNumber: body.details.routing_number,
  };
  const data = { method: body.method, details, onHold: body.on_hold, holdReason: body.hold_reason };
  const row = await db.payoutMethod.upsert({
    where: { shopId_distributorId: { shopId, distributorId } },
    create: { shopId, distributorId, ...data },
    update: data,
  });
  if (body.tax_form_status) await setTaxFormStatus(db, shopId, distributorId, body.tax_form_status, actor);
  // The audit row names the method, never the destination (personal data stays out of the append-only log).
  await db.auditLog.create({
    data: {
      shopId,
      actor,
      action: "payout_method.set",
      entityType: "Distributor",
      entityId: distributorId,
      after: { method: body.method, onHold: body.on_hold },
    },
  });
  return row;
}

export async function setPayoutSettings(db: Db, shopId: string, body: z.output<typeof payoutSettingsBody>, actor: string) {
  const methodMinimums = Object.fromEntries(Object.entries(body.method_minimums).map(([k, v]) => [k, (v as bigint).toString()]));
  const data = { minimumMinor: body.minimum_minor, methodMinimums, schedule: body.schedule, autoApprove: body.auto_approve };
  const row = await db.payoutSettings.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
  await db.auditLog.create({
    data: {
      shopId,
      actor,
      action: "payout_settings.set",
      entityType: "Shop",
      entityId: shopId,
      after: { ...data, minimumMinor: data.minimumMinor.toString() },
    },
  });
  return row;
}
