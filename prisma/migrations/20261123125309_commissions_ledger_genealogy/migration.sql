-- CreateEnum
CREATE TYPE "CommissionOutcome" AS ENUM ('evaluated', 'no_plan', 'no_catalog', 'invalid_input');

-- CreateEnum
CREATE TYPE "CommissionReversalStatus" AS ENUM ('applied', 'rejected');

-- CreateEnum
CREATE TYPE "LedgerTransactionKind" AS ENUM ('commission', 'commission_reversal', 'hold_release');

-- CreateEnum
CREATE TYPE "DistributorStatus" AS ENUM ('active', 'inactive', 'terminated');

-- CreateTable
CREATE TABLE "CommissionClass" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "pv" JSONB NOT NULL,
    "cv" JSONB NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CommissionClass_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SkuMapping" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "platform" "Platform" NOT NULL,
    "platformSku" TEXT,
    "platformVariantId" TEXT,
    "matchKey" TEXT NOT NULL,
    "classId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SkuMapping_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommissionPlanVersion" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "effectiveFrom" TIMESTAMP(3) NOT NULL,
    "rules" JSONB NOT NULL,
    "publishedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CommissionPlanVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Commission" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "outcome" "CommissionOutcome" NOT NULL,
    "planVersionId" UUID,
    "attributedDistributorId" UUID,
    "attributionSource" TEXT,
    "attributionCode" TEXT,
    "currency" TEXT NOT NULL,
    "orderedAt" TIMESTAMP(3) NOT NULL,
    "paidMinor" BIGINT NOT NULL,
    "breakageMinor" BIGINT NOT NULL,
    "flagTypes" TEXT[],
    "flags" JSONB NOT NULL,
    "evaluation" TEXT,
    "error" TEXT,
    "heldUntil" TIMESTAMP(3) NOT NULL,
    "releasedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Commission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommissionReversal" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "commissionId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "refundId" UUID,
    "sourceKey" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "status" "CommissionReversalStatus" NOT NULL,
    "result" TEXT,
    "progress" JSONB NOT NULL,
    "reversedMinor" BIGINT NOT NULL,
    "error" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CommissionReversal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerTransaction" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "kind" "LedgerTransactionKind" NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "orderId" UUID,
    "distributorId" UUID,
    "metadata" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "LedgerTransaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerPosting" (
    "id" BIGSERIAL NOT NULL,
    "shopId" UUID NOT NULL,
    "transactionId" UUID NOT NULL,
    "account" TEXT NOT NULL,
    "accountKind" TEXT NOT NULL,
    "distributorId" UUID,
    "currency" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "LedgerPosting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReconciliationReport" (
    "shopId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "balanced" BOOLEAN NOT NULL,
    "report" JSONB NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReconciliationReport_pkey" PRIMARY KEY ("shopId","day")
);

-- CreateTable
CREATE TABLE "Distributor" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "status" "DistributorStatus" NOT NULL DEFAULT 'active',
    "rank" TEXT,
    "email" TEXT,
    "name" TEXT,
    "enrolledAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Distributor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DistributorCustomerRef" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "distributorId" UUID NOT NULL,
    "platform" "Platform" NOT NULL,
    "platformCustomerId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DistributorCustomerRef_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SponsorEdge" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "distributorId" UUID NOT NULL,
    "sponsorId" UUID,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "validTo" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SponsorEdge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DistributorStatusPeriod" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "distributorId" UUID NOT NULL,
    "status" "DistributorStatus" NOT NULL,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "validTo" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DistributorStatusPeriod_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscountCodeMapping" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "distributorId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DiscountCodeMapping_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CommissionClass_shopId_key_key" ON "CommissionClass"("shopId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "CommissionClass_shopId_id_key" ON "CommissionClass"("shopId", "id");

-- CreateIndex
CREATE INDEX "SkuMapping_classId_idx" ON "SkuMapping"("classId");

-- CreateIndex
CREATE UNIQUE INDEX "SkuMapping_shopId_platform_matchKey_key" ON "SkuMapping"("shopId", "platform", "matchKey");

-- CreateIndex
CREATE INDEX "CommissionPlanVersion_shopId_effectiveFrom_idx" ON "CommissionPlanVersion"("shopId", "effectiveFrom");

-- CreateIndex
CREATE UNIQUE INDEX "CommissionPlanVersion_shopId_version_key" ON "CommissionPlanVersion"("shopId", "version");

-- CreateIndex
CREATE INDEX "Commission_shopId_orderedAt_idx" ON "Commission"("shopId", "orderedAt");

-- CreateIndex
CREATE INDEX "Commission_shopId_attributedDistributorId_idx" ON "Commission"("shopId", "attributedDistributorId");

-- CreateIndex
CREATE INDEX "Commission_createdAt_idx" ON "Commission"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Commission_shopId_orderId_key" ON "Commission"("shopId", "orderId");

-- CreateIndex
CREATE INDEX "CommissionReversal_shopId_orderId_idx" ON "CommissionReversal"("shopId", "orderId");

-- CreateIndex
CREATE INDEX "CommissionReversal_createdAt_idx" ON "CommissionReversal"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "CommissionReversal_shopId_commissionId_sourceKey_key" ON "CommissionReversal"("shopId", "commissionId", "sourceKey");

-- CreateIndex
CREATE UNIQUE INDEX "CommissionReversal_commissionId_sequence_key" ON "CommissionReversal"("commissionId", "sequence");

-- CreateIndex
CREATE INDEX "LedgerTransaction_shopId_orderId_idx" ON "LedgerTransaction"("shopId", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerTransaction_shopId_idempotencyKey_key" ON "LedgerTransaction"("shopId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "LedgerPosting_shopId_distributorId_id_idx" ON "LedgerPosting"("shopId", "distributorId", "id");

-- CreateIndex
CREATE INDEX "LedgerPosting_transactionId_idx" ON "LedgerPosting"("transactionId");

-- CreateIndex
CREATE UNIQUE INDEX "Distributor_shopId_code_key" ON "Distributor"("shopId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Distributor_shopId_id_key" ON "Distributor"("shopId", "id");

-- CreateIndex
CREATE INDEX "DistributorCustomerRef_distributorId_idx" ON "DistributorCustomerRef"("distributorId");

-- CreateIndex
CREATE UNIQUE INDEX "DistributorCustomerRef_shopId_platform_platformCustomerId_key" ON "DistributorCustomerRef"("shopId", "platform", "platformCustomerId");

-- CreateIndex
CREATE INDEX "SponsorEdge_shopId_distributorId_validFrom_idx" ON "SponsorEdge"("shopId", "distributorId", "validFrom");

-- CreateIndex
CREATE INDEX "SponsorEdge_shopId_sponsorId_validFrom_idx" ON "SponsorEdge"("shopId", "sponsorId", "validFrom");

-- CreateIndex
CREATE INDEX "DistributorStatusPeriod_shopId_distributorId_validFrom_idx" ON "DistributorStatusPeriod"("shopId", "distributorId", "validFrom");

-- CreateIndex
CREATE INDEX "DiscountCodeMapping_distributorId_idx" ON "DiscountCodeMapping"("distributorId");

-- CreateIndex
CREATE UNIQUE INDEX "DiscountCodeMapping_shopId_code_key" ON "DiscountCodeMapping"("shopId", "code");

-- AddForeignKey
ALTER TABLE "CommissionClass" ADD CONSTRAINT "CommissionClass_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SkuMapping" ADD CONSTRAINT "SkuMapping_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SkuMapping" ADD CONSTRAINT "SkuMapping_classId_fkey" FOREIGN KEY ("classId") REFERENCES "CommissionClass"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommissionPlanVersion" ADD CONSTRAINT "CommissionPlanVersion_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commission" ADD CONSTRAINT "Commission_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commission" ADD CONSTRAINT "Commission_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commission" ADD CONSTRAINT "Commission_planVersionId_fkey" FOREIGN KEY ("planVersionId") REFERENCES "CommissionPlanVersion"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommissionReversal" ADD CONSTRAINT "CommissionReversal_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommissionReversal" ADD CONSTRAINT "CommissionReversal_commissionId_fkey" FOREIGN KEY ("commissionId") REFERENCES "Commission"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerTransaction" ADD CONSTRAINT "LedgerTransaction_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerPosting" ADD CONSTRAINT "LedgerPosting_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerPosting" ADD CONSTRAINT "LedgerPosting_transactionId_fkey" FOREIGN KEY ("transactionId") REFERENCES "LedgerTransaction"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReconciliationReport" ADD CONSTRAINT "ReconciliationReport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Distributor" ADD CONSTRAINT "Distributor_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DistributorCustomerRef" ADD CONSTRAINT "DistributorCustomerRef_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DistributorCustomerRef" ADD CONSTRAINT "DistributorCustomerRef_distributorId_fkey" FOREIGN KEY ("distributorId") REFERENCES "Distributor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SponsorEdge" ADD CONSTRAINT "SponsorEdge_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SponsorEdge" ADD CONSTRAINT "SponsorEdge_distributorId_fkey" FOREIGN KEY ("distributorId") REFERENCES "Distributor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SponsorEdge" ADD CONSTRAINT "SponsorEdge_sponsorId_fkey" FOREIGN KEY ("sponsorId") REFERENCES "Distributor"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DistributorStatusPeriod" ADD CONSTRAINT "DistributorStatusPeriod_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DistributorStatusPeriod" ADD CONSTRAINT "DistributorStatusPeriod_distributorId_fkey" FOREIGN KEY ("distributorId") REFERENCES "Distributor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscountCodeMapping" ADD CONSTRAINT "DiscountCodeMapping_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscountCodeMapping" ADD CONSTRAINT "DiscountCodeMapping_distributorId_fkey" FOREIGN KEY ("distributorId") REFERENCES "Distributor"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------------------------------------
-- Hand-written: what Prisma's schema language cannot express.

-- One current (open-ended) sponsor edge and one current status period per distributor: a second "current"
-- row would make "the sponsor now" ambiguous. Closed intervals are checked for overlap by the services.
CREATE UNIQUE INDEX "SponsorEdge_one_current_key" ON "SponsorEdge"("shopId", "distributorId") WHERE "validTo" IS NULL;
CREATE UNIQUE INDEX "DistributorStatusPeriod_one_current_key" ON "DistributorStatusPeriod"("shopId", "distributorId") WHERE "validTo" IS NULL;

-- At most one default commission class per shop.
CREATE UNIQUE INDEX "CommissionClass_one_default_key" ON "CommissionClass"("shopId") WHERE "isDefault";

-- The hold-release job scans commissions still held: the partial index keeps that scan to the rows it wants.
CREATE INDEX "Commission_held_idx" ON "Commission"("heldUntil") WHERE "releasedAt" IS NULL AND "outcome" = 'evaluated' AND "paidMinor" > 0;

-- The stranded-refund sweeper (every 30 s) looks only at parked refunds: a tiny partial index instead of a scan
-- of every refund ever recorded. (On the ingest area's table: the sweeper is the commission area's safety net.)
CREATE INDEX "Refund_parked_idx" ON "Refund"("shopId", "platform", "platformOrderId") WHERE "status" = 'parked';

-- The ledger is append-only, enforced by the database: a correction is a new transaction, never an edit.
-- DELETE is allowed only when it cascades from deleting the shop (pg_trigger_depth() > 1: fired by the
-- foreign key's own trigger), which shop/redact and uninstall clean-up need.
-- The function body is an E'' string with every semicolon written as \073: the offline migration path
-- (@prisma/adapter-pg executeScript) splits scripts at every semicolon, even inside a function body.
CREATE FUNCTION "ledger_append_only"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''DELETE'' AND pg_trigger_depth() > 1 THEN
    RETURN OLD\073
  END IF\073
  RAISE EXCEPTION ''the ledger is append-only: % on "%" refused'', TG_OP, TG_TABLE_NAME USING ERRCODE = ''restrict_violation''\073
END\073';

CREATE TRIGGER "LedgerTransaction_append_only" BEFORE UPDATE OR DELETE ON "LedgerTransaction"
  FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();
CREATE TRIGGER "LedgerPosting_append_only" BEFORE UPDATE OR DELETE ON "LedgerPosting"
  FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();
