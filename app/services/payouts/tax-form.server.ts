/**
 * A payee's US tax form (W-9) status, on the distributor: collected or not. The form itself (and any tax id) stays
 * outside the app; the year-end tax report flags payees over the 1099-NEC threshold whose form is missing.
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import type { DbOrTx } from "~/db/tx.server";
import { PayoutServiceError } from "./errors.server";

export const TAX_FORM_STATUSES = ["not_collected", "collected"] as const;
export type TaxFormStatusValue = (typeof TAX_FORM_STATUSES)[number];

export const taxFormBody = z.object({ status: z.enum(TAX_FORM_STATUSES) }).strict();

export async function setTaxFormStatus(client: DbOrTx, shopId: string, distributorId: string, status: TaxFormStatusValue, actor: string, now = new Date()) {
  const updated = await client.distributor.updateMany({ where: { shopId, id: distributorId }, data: { taxFormStatus: status, taxFormUpdatedAt: now } });
  if (updated.count === 0) throw new PayoutServiceError("unknown_distributor", `no distributor ${distributorId} in this shop`);
  await client.auditLog.create({ data: { shopId, actor, action: "tax_form.set", entityType: "Distributor", entityId: distributorId, after: { status } } });
  return { distributorId, status, updatedAt: now };
}

export async function taxFormStatusOf(db: Db, shopId: string, distributorId: string): Promise<TaxFormStatusValue> {
  const row = await db.distributor.findFirst({ where: { shopId, id: distributorId }, select: { taxFormStatus: true } });
  return row?.taxFormStatus ?? "not_collected";
}
