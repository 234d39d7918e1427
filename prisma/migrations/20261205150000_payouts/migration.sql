-- Payouts (issue 12): payout methods, shop payout settings, runs and items. See prisma/schema/payouts.prisma.

ALTER TYPE "LedgerTransactionKind" ADD VALUE 'payout';
ALTER TYPE "LedgerTransactionKind" ADD VALUE 'payout_settlement';
ALTER TYPE "LedgerTransactionKind" ADD VALUE 'payout_reversal';

CREATE TYPE "PayoutMethodKind" AS ENUM ('bank', 'paypal', 'stripe', 'store_credit');
CREATE TYPE "PayoutSchedule" AS ENUM ('manual', 'weekly', 'monthly');
CREATE TYPE "PayoutRunStatus" AS ENUM ('draft', 'approved', 'executing', 'completed', 'cancelled');
CREATE TYPE "PayoutItemStatus" AS ENUM ('pending', 'submitted', 'paid', 'failed', 'returned', 'cancelled');

CREATE TABLE "PayoutMethod" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "distributorId" UUID NOT NULL,
    "method" "PayoutMethodKind" NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "onHold" BOOLEAN NOT NULL DEFAULT false,
    "holdReason" TEXT,
    "taxFormStatus" TEXT NOT NULL DEFAULT 'not_collected',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "PayoutMethod_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "PayoutSettings" (
    "shopId" UUID NOT NULL,
    "minimumMinor" BIGINT NOT NULL DEFAULT 0,
    "methodMinimums" JSONB NOT NULL DEFAULT '{}',
    "schedule" "PayoutSchedule" NOT NULL DEFAULT 'manual',
    "autoApprove" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "PayoutSettings_pkey" PRIMARY KEY ("shopId")
);

CREATE TABLE "PayoutRun" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "currency" TEXT,
    "status" "PayoutRunStatus" NOT NULL DEFAULT 'draft',
    "schedule" "PayoutSchedule" NOT NULL DEFAULT 'manual',
    "scheduleKey" TEXT,
    "asOf" TIMESTAMP(3) NOT NULL,
    "totals" JSONB NOT NULL DEFAULT '{}',
    "itemCount" INTEGER NOT NULL DEFAULT 0,
    "heldBack" JSONB NOT NULL DEFAULT '[]',
    "createdBy" TEXT NOT NULL,
    "approvedAt" TIMESTAMP(3),
    "approvedBy" TEXT,
    "cancelledAt" TIMESTAMP(3),
    "cancelledBy" TEXT,
    "completedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "PayoutRun_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "PayoutItem" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "distributorId" UUID NOT NULL,
    "method" "PayoutMethodKind" NOT NULL,
    "destination" JSONB NOT NULL DEFAULT '{}',
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" "PayoutItemStatus" NOT NULL DEFAULT 'pending',
    "providerReference" TEXT,
    "providerBatch" TEXT,
    "providerBatchRef" TEXT,
    "attemptCount" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "submittedAt" TIMESTAMP(3),
    "paidAt" TIMESTAMP(3),
    "failedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "PayoutItem_pkey" PRIMARY KEY ("id"),
    -- A payout moves money out: never zero, never negative (a debt is carried, not paid).
    CONSTRAINT "PayoutItem_amount_positive" CHECK ("amountMinor" > 0)
);

CREATE UNIQUE INDEX "PayoutMethod_shopId_distributorId_key" ON "PayoutMethod"("shopId", "distributorId");
CREATE UNIQUE INDEX "PayoutMethod_shopId_id_key" ON "PayoutMethod"("shopId", "id");
CREATE UNIQUE INDEX "PayoutRun_shopId_id_key" ON "PayoutRun"("shopId", "id");
CREATE UNIQUE INDEX "PayoutRun_shopId_scheduleKey_key" ON "PayoutRun"("shopId", "scheduleKey");
CREATE INDEX "PayoutRun_shopId_createdAt_idx" ON "PayoutRun"("shopId", "createdAt");
CREATE UNIQUE INDEX "PayoutItem_shopId_runId_distributorId_currency_key" ON "PayoutItem"("shopId", "runId", "distributorId", "currency");
CREATE UNIQUE INDEX "PayoutItem_shopId_id_key" ON "PayoutItem"("shopId", "id");
CREATE INDEX "PayoutItem_shopId_distributorId_idx" ON "PayoutItem"("shopId", "distributorId");
CREATE INDEX "PayoutItem_runId_status_idx" ON "PayoutItem"("runId", "status");

ALTER TABLE "PayoutMethod" ADD CONSTRAINT "PayoutMethod_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PayoutSettings" ADD CONSTRAINT "PayoutSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PayoutRun" ADD CONSTRAINT "PayoutRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PayoutItem" ADD CONSTRAINT "PayoutItem_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PayoutItem" ADD CONSTRAINT "PayoutItem_shopId_runId_fkey" FOREIGN KEY ("shopId", "runId") REFERENCES "PayoutRun"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: the payout rows of a distributor belong to the same shop (composite keys: Prisma would need a
-- back-relation on Distributor for these, which another file owns). NO ACTION: a distributor is never deleted
-- while money was paid to them, except with the shop (the cascade from Shop is checked at statement end).
ALTER TABLE "PayoutMethod" ADD CONSTRAINT "PayoutMethod_shopId_distributorId_fkey" FOREIGN KEY ("shopId", "distributorId") REFERENCES "Distributor"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PayoutItem" ADD CONSTRAINT "PayoutItem_shopId_distributorId_fkey" FOREIGN KEY ("shopId", "distributorId") REFERENCES "Distributor"("shopId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;
