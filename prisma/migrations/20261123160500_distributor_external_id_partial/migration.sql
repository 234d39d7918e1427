-- One distributor per external id, as a partial unique index: most distributors have no external id, and the
-- full index stored an entry for every NULL (39 MB per million distributors, bench/results/genealogy.json).
DROP INDEX "Distributor_shopId_externalId_key";
CREATE UNIQUE INDEX "Distributor_externalId_key" ON "Distributor"("shopId", "externalId") WHERE "externalId" IS NOT NULL;
