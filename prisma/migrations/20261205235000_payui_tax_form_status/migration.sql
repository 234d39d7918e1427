-- The payee's US tax form (W-9) status moves from PayoutMethod to Distributor: it belongs to the person whatever
-- method pays them, must survive a change of method, and the year-end tax report reads it for payees who may no
-- longer have a method. Existing values are carried over before the old column goes.

-- CreateEnum
CREATE TYPE "TaxFormStatus" AS ENUM ('not_collected', 'collected');

-- AlterTable
ALTER TABLE "Distributor" ADD COLUMN     "taxFormStatus" "TaxFormStatus" NOT NULL DEFAULT 'not_collected',
ADD COLUMN     "taxFormUpdatedAt" TIMESTAMP(3);

UPDATE "Distributor" d SET "taxFormStatus" = 'collected', "taxFormUpdatedAt" = m."updatedAt"
FROM "PayoutMethod" m
WHERE m."shopId" = d."shopId" AND m."distributorId" = d."id" AND m."taxFormStatus" = 'collected';

-- AlterTable
ALTER TABLE "PayoutMethod" DROP COLUMN "taxFormStatus";
