-- Hand-written (issue 10): no two effective-dated intervals [validFrom, validTo) of one distributor overlap, in
-- the sponsor tree, the placement tree and the status history, whatever writes them. Until now only "one open
-- interval" was a database rule (the *_one_current_key partial indexes) and closed ones were the services' care.
-- An exclusion constraint over (shop =, distributor =, tsrange &&) needs btree_gist for the two equalities.
-- btree_gist ships with PostgreSQL (contrib) and with PGlite, which loads it in app/db/embedded.server.ts.
--
-- Rank periods need no such constraint: a DistributorRankPeriod row has only a start (its period runs to the next
-- row's start), so its primary key (shopId, distributorId, periodStart) already makes overlaps impossible.
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE "SponsorEdge" ADD CONSTRAINT "SponsorEdge_no_overlap"
  EXCLUDE USING gist ("shopId" WITH =, "distributorId" WITH =, tsrange("validFrom", "validTo", '[)') WITH &&);
ALTER TABLE "PlacementEdge" ADD CONSTRAINT "PlacementEdge_no_overlap"
  EXCLUDE USING gist ("shopId" WITH =, "distributorId" WITH =, tsrange("validFrom", "validTo", '[)') WITH &&);
ALTER TABLE "DistributorStatusPeriod" ADD CONSTRAINT "DistributorStatusPeriod_no_overlap"
  EXCLUDE USING gist ("shopId" WITH =, "distributorId" WITH =, tsrange("validFrom", "validTo", '[)') WITH &&);
