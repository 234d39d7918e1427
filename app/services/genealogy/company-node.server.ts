/**
 * The shop's default (company) node: the root every recruit without a valid sponsor hangs under, so nobody who
 * joins is ever lost. Created on demand, once per shop (the partial unique index Distributor_one_company_node_key
 * settles concurrent first calls), and in the tree since the epoch so any enrolment instant, however far back a
 * platform dates a customer, finds it there.
 */
import { generateReferralCode } from "~/domain/genealogy/referral-code";
import type { Tx } from "~/db/tx.server";
import { GenealogyServiceError } from "./errors.server";

export const COMPANY_NODE_SINCE = new Date("1970-01-01T00:00:00Z");
const CODE_ATTEMPTS = 5;

export async function ensureCompanyNode(tx: Tx, shopId: string): Promise<{ id: string; code: string }> {
  const existing = await findCompanyNode(tx, shopId);
  if (existing) return existing;
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt += 1) {
    const code = generateReferralCode();
    const rows = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "Distributor" ("shopId", "code", "isCompanyNode", "name", "enrolledAt", "updatedAt")
      VALUES (${shopId}::uuid, ${code}, true, 'Company', ${COMPANY_NODE_SINCE}, now())
      ON CONFLICT DO NOTHING
      RETURNING "id"`;
    const created = rows[0];
    if (created) {
      await tx.$executeRaw`
        INSERT INTO "SponsorEdge" ("shopId", "distributorId", "sponsorId", "validFrom")
        VALUES (${shopId}::uuid, ${created.id}::uuid, NULL, ${COMPANY_NODE_SINCE})`;
      await tx.auditLog.create({
        data: { shopId, actor: "system", action: "distributor.company_node_created", entityType: "Distributor", entityId: created.id, after: { code } },
      });
      return { id: created.id, code };
    }
    // Either another transaction created the node meanwhile (the unique index made us wait for it), or the
    // random code was taken: look again, and redraw the code only in the second case.
    const raced = await findCompanyNode(tx, shopId);
    if (raced) return raced;
  }
  throw new GenealogyServiceError("code_taken", "no free code for the company node");
}

export function findCompanyNode(tx: Tx, shopId: string) {
  return tx.distributor.findFirst({ where: { shopId, isCompanyNode: true }, select: { id: true, code: true } });
}
