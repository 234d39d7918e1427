-- Genealogy per bench/GENEALOGY-STORAGE.md §7: natural composite keys instead of surrogate ids, composite shop
-- foreign keys, the placement tree, audited moves, ranks and volumes per period, data-subject exports.
-- Existing rows are kept and transformed in place (columns dropped and added, never tables recreated).

-- Transform 1: two edges or periods of one distributor starting at the same instant cannot both be right, and
-- the new primary keys refuse them, keep the first written (none exist unless data was edited by hand).
DELETE FROM "SponsorEdge" a USING "SponsorEdge" b
WHERE a."shopId" = b."shopId" AND a."distributorId" = b."distributorId" AND a."validFrom" = b."validFrom"
  AND (a."createdAt", a."id") > (b."createdAt", b."id");
DELETE FROM "DistributorStatusPeriod" a USING "DistributorStatusPeriod" b
WHERE a."shopId" = b."shopId" AND a."distributorId" = b."distributorId" AND a."validFrom" = b."validFrom"
  AND (a."createdAt", a."id") > (b."createdAt", b."id");

-- Transform 2: "no status period at or before T" now means "active since enrolment", so the initial active
-- period enrolment used to write says nothing: drop it (§7 item 3, about 170 MB per million distributors).
DELETE FROM "DistributorStatusPeriod" p USING "Distributor" d
WHERE d."id" = p."distributorId" AND d."shopId" = p."shopId"
  AND p."status" = 'active' AND p."validFrom" = d."enrolledAt";

-- CreateEnum
CREATE TYPE "GenealogyTree" AS ENUM ('sponsor', 'placement');

-- DropForeignKey
ALTER TABLE "DiscountCodeMapping" DROP CONSTRAINT "DiscountCodeMapping_distributorId_fkey";

-- DropForeignKey
ALTER TABLE "DistributorStatusPeriod" DROP CONSTRAINT "DistributorStatusPeriod_distributorId_fkey";

-- DropForeignKey
ALTER TABLE "SponsorEdge" DROP CONSTRAINT "SponsorEdge_distributorId_fkey";

-- DropForeignKey
ALTER TABLE "SponsorEdge" DROP CONSTRAINT "SponsorEdge_sponsorId_fkey";

-- DropIndex
DROP INDEX "DistributorStatusPeriod_shopId_distributorId_validFrom_idx";

-- DropIndex
DROP INDEX "SponsorEdge_shopId_distributorId_validFrom_idx";

-- AlterTable
ALTER TABLE "Distributor" ADD COLUMN     "externalId" TEXT,
ADD COLUMN     "isCompanyNode" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "redactedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "DistributorStatusPeriod" DROP CONSTRAINT "DistributorStatusPeriod_pkey",
DROP COLUMN "id",
ADD COLUMN     "reason" TEXT,
ADD CONSTRAINT "DistributorStatusPeriod_pkey" PRIMARY KEY ("shopId", "distributorId", "validFrom");

-- AlterTable
ALTER TABLE "SponsorEdge" DROP CONSTRAINT "SponsorEdge_pkey",
DROP COLUMN "id",
ADD COLUMN     "moveId" UUID,
ADD CONSTRAINT "SponsorEdge_pkey" PRIMARY KEY ("shopId", "distributorId", "validFrom");

-- CreateTable
CREATE TABLE "PlacementEdge" (
    "shopId" UUID NOT NULL,
    "distributorId" UUID NOT NULL,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "validTo" TIMESTAMP(3),
    "parentId" UUID,
    "position" SMALLINT,
    "moveId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlacementEdge_pkey" PRIMARY KEY ("shopId","distributorId","validFrom")
);

-- CreateTable
CREATE TABLE "GenealogyMove" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "tree" "GenealogyTree" NOT NULL,
    "distributorId" UUID NOT NULL,
    "fromParentId" UUID,
    "toParentId" UUID NOT NULL,
    "position" SMALLINT,
    "effectiveFrom" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GenealogyMove_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DistributorRankPeriod" (
    "shopId" UUID NOT NULL,
    "distributorId" UUID NOT NULL,
    "periodStart" DATE NOT NULL,
    "achievedRank" TEXT NOT NULL,
    "paidAsRank" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DistributorRankPeriod_pkey" PRIMARY KEY ("shopId","distributorId","periodStart")
);

-- CreateTable
CREATE TABLE "PeriodVolume" (
    "shopId" UUID NOT NULL,
    "distributorId" UUID NOT NULL,
    "periodStart" DATE NOT NULL,
    "pvHundredths" BIGINT NOT NULL DEFAULT 0,
    "cvHundredths" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "PeriodVolume_pkey" PRIMARY KEY ("shopId","distributorId","periodStart")
);

-- CreateTable
CREATE TABLE "BinaryLegVolume" (
    "shopId" UUID NOT NULL,
    "distributorId" UUID NOT NULL,
    "periodStart" DATE NOT NULL,
    "leftHundredths" BIGINT NOT NULL,
    "rightHundredths" BIGINT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BinaryLegVolume_pkey" PRIMARY KEY ("shopId","distributorId","periodStart")
);

-- CreateTable
CREATE TABLE "DistributorDataExport" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "distributorId" UUID NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "sourceEventId" UUID,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DistributorDataExport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PlacementEdge_shopId_parentId_validFrom_idx" ON "PlacementEdge"("shopId", "parentId", "validFrom");

-- CreateIndex
CREATE INDEX "GenealogyMove_shopId_tree_effectiveFrom_idx" ON "GenealogyMove"("shopId", "tree", "effectiveFrom");

-- CreateIndex
CREATE INDEX "GenealogyMove_shopId_distributorId_effectiveFrom_idx" ON "GenealogyMove"("shopId", "distributorId", "effectiveFrom");

-- CreateIndex
CREATE INDEX "DistributorDataExport_shopId_distributorId_createdAt_idx" ON "DistributorDataExport"("shopId", "distributorId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DistributorDataExport_shopId_sourceEventId_key" ON "DistributorDataExport"("shopId", "sourceEventId");

-- CreateIndex
CREATE UNIQUE INDEX "Distributor_shopId_externalId_key" ON "Distributor"("shopId", "externalId");

-- AddForeignKey
ALTER TABLE "SponsorEdge" ADD CONSTRAINT "SponsorEdge_shopId_distributorId_fkey" FOREIGN KEY ("shopId", "distributorId") REFERENCES "Distributor"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SponsorEdge" ADD CONSTRAINT "SponsorEdge_shopId_sponsorId_fkey" FOREIGN KEY ("shopId", "sponsorId") REFERENCES "Distributor"("shopId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SponsorEdge" ADD CONSTRAINT "SponsorEdge_moveId_fkey" FOREIGN KEY ("moveId") REFERENCES "GenealogyMove"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlacementEdge" ADD CONSTRAINT "PlacementEdge_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlacementEdge" ADD CONSTRAINT "PlacementEdge_shopId_distributorId_fkey" FOREIGN KEY ("shopId", "distributorId") REFERENCES "Distributor"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlacementEdge" ADD CONSTRAINT "PlacementEdge_shopId_parentId_fkey" FOREIGN KEY ("shopId", "parentId") REFERENCES "Distributor"("shopId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlacementEdge" ADD CONSTRAINT "PlacementEdge_moveId_fkey" FOREIGN KEY ("moveId") REFERENCES "GenealogyMove"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GenealogyMove" ADD CONSTRAINT "GenealogyMove_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GenealogyMove" ADD CONSTRAINT "GenealogyMove_shopId_distributorId_fkey" FOREIGN KEY ("shopId", "distributorId") REFERENCES "Distributor"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DistributorStatusPeriod" ADD CONSTRAINT "DistributorStatusPeriod_shopId_distributorId_fkey" FOREIGN KEY ("shopId", "distributorId") REFERENCES "Distributor"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DistributorRankPeriod" ADD CONSTRAINT "DistributorRankPeriod_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DistributorRankPeriod" ADD CONSTRAINT "DistributorRankPeriod_shopId_distributorId_fkey" FOREIGN KEY ("shopId", "distributorId") REFERENCES "Distributor"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PeriodVolume" ADD CONSTRAINT "PeriodVolume_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PeriodVolume" ADD CONSTRAINT "PeriodVolume_shopId_distributorId_fkey" FOREIGN KEY ("shopId", "distributorId") REFERENCES "Distributor"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BinaryLegVolume" ADD CONSTRAINT "BinaryLegVolume_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BinaryLegVolume" ADD CONSTRAINT "BinaryLegVolume_shopId_distributorId_fkey" FOREIGN KEY ("shopId", "distributorId") REFERENCES "Distributor"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DistributorDataExport" ADD CONSTRAINT "DistributorDataExport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DistributorDataExport" ADD CONSTRAINT "DistributorDataExport_shopId_distributorId_fkey" FOREIGN KEY ("shopId", "distributorId") REFERENCES "Distributor"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscountCodeMapping" ADD CONSTRAINT "DiscountCodeMapping_shopId_distributorId_fkey" FOREIGN KEY ("shopId", "distributorId") REFERENCES "Distributor"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------------------
-- Hand-written: what Prisma's schema language cannot express. SponsorEdge_one_current_key and
-- DistributorStatusPeriod_one_current_key (earlier migration) stay as they are.

-- One current edge per distributor in the placement tree, and one current occupant per slot. These are also the
-- race guards: two enrolments placed into one slot at once make the second fail instead of sharing the slot.
CREATE UNIQUE INDEX "PlacementEdge_one_current_key" ON "PlacementEdge"("shopId", "distributorId") WHERE "validTo" IS NULL;
CREATE UNIQUE INDEX "PlacementEdge_one_occupant_key" ON "PlacementEdge"("shopId", "parentId", "position") WHERE "validTo" IS NULL;

-- One default (company) node per shop: concurrent "create on demand" calls meet here (ON CONFLICT DO NOTHING).
CREATE UNIQUE INDEX "Distributor_one_company_node_key" ON "Distributor"("shopId") WHERE "isCompanyNode";

-- One distributor per e-mail address in a shop, case-insensitively: the REST API's natural key, and what links a
-- customer of a second platform to the person already enrolled. Redacted rows have no e-mail.
CREATE UNIQUE INDEX "Distributor_email_key" ON "Distributor"("shopId", lower("email")) WHERE "email" IS NOT NULL;

ALTER TABLE "SponsorEdge"
  ADD CONSTRAINT "SponsorEdge_interval_check" CHECK ("validTo" IS NULL OR "validTo" > "validFrom"),
  ADD CONSTRAINT "SponsorEdge_not_self_check" CHECK ("sponsorId" IS NULL OR "sponsorId" <> "distributorId");
ALTER TABLE "PlacementEdge"
  ADD CONSTRAINT "PlacementEdge_interval_check" CHECK ("validTo" IS NULL OR "validTo" > "validFrom"),
  ADD CONSTRAINT "PlacementEdge_not_self_check" CHECK ("parentId" IS NULL OR "parentId" <> "distributorId"),
  ADD CONSTRAINT "PlacementEdge_slot_check" CHECK (("parentId" IS NULL) = ("position" IS NULL) AND ("position" IS NULL OR "position" >= 0));
ALTER TABLE "DistributorStatusPeriod"
  ADD CONSTRAINT "DistributorStatusPeriod_interval_check" CHECK ("validTo" IS NULL OR "validTo" > "validFrom");
