/**
 * The state one close hands to the next and to the rest of the app, in the close's transaction:
 *   carry       CommissionPeriod.carryOut (PeriodCloseResult.carry as JSON text): binary lots and deferred
 *               payouts, read back by the next close of the same schedule
 *   PeriodVolume        personal volume per distributor, net of the period's own refunds
 *   BinaryLegVolume     left/right leg volume per distributor (the plan's first binary component)
 *   DistributorRankPeriod  a row when a distributor's (achieved, paid-as) rank differs from their previous one
 * A re-close replaces the period's rows of these three tables (they are derived state, recomputed from the same
 * inputs); what was posted to the ledger is never replaced.
 */
import { periodResultToJson, type BinaryCarryState, type DeferredPayout, type PeriodCloseInput, type PeriodCloseResult } from "~/domain/periods";
import { periodVolumes } from "~/domain/periods/volumes";
import type { DbOrTx, Tx } from "~/db/tx.server";

export interface PeriodCarry {
  readonly binary: readonly BinaryCarryState[];
  readonly deferredPayouts: readonly DeferredPayout[];
}

export const NO_CARRY: PeriodCarry = { binary: [], deferredPayouts: [] };

export function carryToJson(carry: PeriodCloseResult["carry"]): string {
  return periodResultToJson(carry);
}

export function carryFromJson(text: string | null): PeriodCarry {
  if (!text) return NO_CARRY;
  type Lot = { periodKey: string; hundredths: string };
  const raw = JSON.parse(text) as {
    binary: (Omit<BinaryCarryState, "left" | "right"> & { left: Lot[]; right: Lot[] })[];
    deferredPayouts: { distributorId: string; amountMinor: string }[];
  };
  const lot = (entry: Lot) => ({ periodKey: entry.periodKey, hundredths: BigInt(entry.hundredths) });
  return {
    binary: raw.binary.map((state) => ({ ...state, left: state.left.map(lot), right: state.right.map(lot) })),
    deferredPayouts: raw.deferredPayouts.map((row) => ({ distributorId: row.distributorId, amountMinor: BigInt(row.amountMinor) })),
  };
}

/** The carry the previous close of the same schedule left (the latest closed period ending by `start`). */
export async function loadCarryIn(client: DbOrTx, shopId: string, schedule: string, start: Date): Promise<PeriodCarry> {
  const [row] = await client.$queryRaw<{ carryOut: string | null }[]>`
    SELECT "carryOut" FROM "CommissionPeriod"
    WHERE "shopId" = ${shopId}::uuid AND "schedule" = ${schedule}::"CommissionPeriodSchedule" AND "endsAt" <= ${start} AND "revision" > 0
    ORDER BY "endsAt" DESC LIMIT 1`;
  return carryFromJson(row?.carryOut ?? null);
}

export async function writePeriodState(
  tx: Tx,
  shopId: string,
  periodStart: Date,
  input: PeriodCloseInput,
  result: PeriodCloseResult,
): Promise<{ ranks: number }> {
  const day = periodStart.toISOString().slice(0, 10);
  await writeVolumes(tx, shopId, day, input);
  await writeLegVolumes(tx, shopId, day, result);
  return { ranks: await writeRanks(tx, shopId, day, result) };
}

async function writeVolumes(tx: Tx, shopId: string, day: string, input: PeriodCloseInput) {
  const volumes = periodVolumes(input);
  // Who had orders this period; a late refund of an earlier period's order changes no volume of this one.
  const ids = [...new Set(input.volumes.map((row) => row.distributorId))];
  const pv = ids.map((id) => volumes.personal("pv", id).toString());
  const cv = ids.map((id) => volumes.personal("cv", id).toString());
  await tx.$executeRaw`DELETE FROM "PeriodVolume" WHERE "shopId" = ${shopId}::uuid AND "periodStart" = ${day}::date`;
  if (ids.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "PeriodVolume" ("shopId", "distributorId", "periodStart", "pvHundredths", "cvHundredths")
    SELECT ${shopId}::uuid, v.id::uuid, ${day}::date, v.pv::bigint, v.cv::bigint
    FROM unnest(${ids}::text[], ${pv}::text[], ${cv}::text[]) AS v(id, pv, cv)
    -- A distributor who left the tree still has their volume counted; only members of the shop are stored.
    WHERE EXISTS (SELECT 1 FROM "Distributor" d WHERE d."shopId" = ${shopId}::uuid AND d."id" = v.id::uuid)`;
}

async function writeLegVolumes(tx: Tx, shopId: string, day: string, result: PeriodCloseResult) {
  await tx.$executeRaw`DELETE FROM "BinaryLegVolume" WHERE "shopId" = ${shopId}::uuid AND "periodStart" = ${day}::date`;
  const rule = result.binary[0]?.rule;
  const rows = result.binary.filter((row) => row.rule === rule && (row.leftHundredths !== 0n || row.rightHundredths !== 0n));
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "BinaryLegVolume" ("shopId", "distributorId", "periodStart", "leftHundredths", "rightHundredths")
    SELECT ${shopId}::uuid, v.id::uuid, ${day}::date, v.l::bigint, v.r::bigint
    FROM unnest(${rows.map((row) => row.distributorId)}::text[], ${rows.map((row) => row.leftHundredths.toString())}::text[],
      ${rows.map((row) => row.rightHundredths.toString())}::text[]) AS v(id, l, r)`;
}

async function writeRanks(tx: Tx, shopId: string, day: string, result: PeriodCloseResult): Promise<number> {
  await tx.$executeRaw`DELETE FROM "DistributorRankPeriod" WHERE "shopId" = ${shopId}::uuid AND "periodStart" = ${day}::date`;
  const previous = await tx.$queryRaw<{ distributorId: string; achievedRank: string; paidAsRank: string | null }[]>`
    SELECT DISTINCT ON ("distributorId") "distributorId", "achievedRank", "paidAsRank"
    FROM "DistributorRankPeriod" WHERE "shopId" = ${shopId}::uuid AND "periodStart" < ${day}::date
    ORDER BY "distributorId", "periodStart" DESC`;
  const before = new Map(previous.map((row) => [row.distributorId, row]));
  const changed = result.ranks.filter((rank) => {
    if (rank.achievedRank === null) return false;
    const last = before.get(rank.distributorId);
    return !last || last.achievedRank !== rank.achievedRank || last.paidAsRank !== rank.paidAsRank;
  });
  if (changed.length === 0) return 0;
  await tx.$executeRaw`
    INSERT INTO "DistributorRankPeriod" ("shopId", "distributorId", "periodStart", "achievedRank", "paidAsRank")
    SELECT ${shopId}::uuid, v.id::uuid, ${day}::date, v.achieved, v.paid_as
    FROM unnest(${changed.map((rank) => rank.distributorId)}::text[], ${changed.map((rank) => rank.achievedRank!)}::text[],
      ${changed.map((rank) => rank.paidAsRank)}::text[]) AS v(id, achieved, paid_as)`;
  return changed.length;
}
