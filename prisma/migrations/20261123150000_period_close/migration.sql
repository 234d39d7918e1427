-- CreateEnum
CREATE TYPE "CommissionPeriodStatus" AS ENUM ('open', 'closed', 'reopened');

-- CreateEnum
CREATE TYPE "CommissionPeriodSchedule" AS ENUM ('weekly', 'monthly');

-- CreateEnum
CREATE TYPE "PeriodCloseRunAction" AS ENUM ('close', 'reopen');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "LedgerTransactionKind" ADD VALUE 'period_commission';
ALTER TYPE "LedgerTransactionKind" ADD VALUE 'period_correction';

-- AlterTable
ALTER TABLE "DistributorRankPeriod" ALTER COLUMN "paidAsRank" DROP NOT NULL;

-- CreateTable
CREATE TABLE "CommissionPeriod" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "schedule" "CommissionPeriodSchedule" NOT NULL,
    "key" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "status" "CommissionPeriodStatus" NOT NULL DEFAULT 'open',
    "revision" INTEGER NOT NULL DEFAULT 0,
    "planVersionId" UUID,
    "currency" TEXT,
    "closedAt" TIMESTAMP(3),
    "closedBy" TEXT,
    "reopenedAt" TIMESTAMP(3),
    "reopenedBy" TEXT,
    "reopenReason" TEXT,
    "releasedAt" TIMESTAMP(3),
    "summary" JSONB,
    "carryOut" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CommissionPeriod_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PeriodCloseRun" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "periodId" UUID NOT NULL,
    "action" "PeriodCloseRunAction" NOT NULL,
    "revision" INTEGER NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "planVersionId" UUID,
    "summary" JSONB NOT NULL,
    "snapshot" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PeriodCloseRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PeriodCommission" (
    "shopId" UUID NOT NULL,
    "periodId" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "rule" TEXT NOT NULL,
    "distributorId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PeriodCommission_pkey" PRIMARY KEY ("periodId","revision","rule","distributorId")
);

-- CreateIndex
CREATE INDEX "CommissionPeriod_shopId_startsAt_idx" ON "CommissionPeriod"("shopId", "startsAt");

-- CreateIndex
CREATE INDEX "CommissionPeriod_status_endsAt_idx" ON "CommissionPeriod"("status", "endsAt");

-- CreateIndex
CREATE UNIQUE INDEX "CommissionPeriod_shopId_schedule_key_key" ON "CommissionPeriod"("shopId", "schedule", "key");

-- CreateIndex
CREATE UNIQUE INDEX "CommissionPeriod_shopId_id_key" ON "CommissionPeriod"("shopId", "id");

-- CreateIndex
CREATE INDEX "PeriodCloseRun_shopId_periodId_createdAt_idx" ON "PeriodCloseRun"("shopId", "periodId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PeriodCloseRun_periodId_action_revision_key" ON "PeriodCloseRun"("periodId", "action", "revision");

-- CreateIndex
CREATE INDEX "PeriodCommission_shopId_distributorId_idx" ON "PeriodCommission"("shopId", "distributorId");

-- CreateIndex
CREATE UNIQUE INDEX "PeriodCommission_shopId_idempotencyKey_key" ON "PeriodCommission"("shopId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "CommissionReversal_shopId_occurredAt_idx" ON "CommissionReversal"("shopId", "occurredAt");

-- AddForeignKey
ALTER TABLE "CommissionPeriod" ADD CONSTRAINT "CommissionPeriod_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PeriodCloseRun" ADD CONSTRAINT "PeriodCloseRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PeriodCloseRun" ADD CONSTRAINT "PeriodCloseRun_shopId_periodId_fkey" FOREIGN KEY ("shopId", "periodId") REFERENCES "CommissionPeriod"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PeriodCommission" ADD CONSTRAINT "PeriodCommission_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PeriodCommission" ADD CONSTRAINT "PeriodCommission_shopId_periodId_fkey" FOREIGN KEY ("shopId", "periodId") REFERENCES "CommissionPeriod"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------------------
-- Hand-written. What a close posted and the close/re-open audit trail are append-only like the ledger they sit
-- beside (the function is the ledger's, from the commissions migration): a correction is a new revision's rows.
CREATE TRIGGER "PeriodCommission_append_only" BEFORE UPDATE OR DELETE ON "PeriodCommission"
  FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();
CREATE TRIGGER "PeriodCloseRun_append_only" BEFORE UPDATE OR DELETE ON "PeriodCloseRun"
  FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();
