-- Issue 13: indexes for the admin list pages' loaders at a million distributors and five million postings
-- (bench/admin.ts holds each loader's p99 under 300 ms). Each index is written on every insert, so only
-- what a loader measured to need.

-- pg_trgm ships with PostgreSQL (contrib) and with PGlite, which loads it in app/db/embedded.server.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Distributors page: newest enrolment first, and search by code prefix, e-mail or name fragment
-- (ILIKE '%…%', which no btree serves).
CREATE INDEX "Distributor_shopId_enrolledAt_id_idx" ON "Distributor" ("shopId", "enrolledAt", "id");
CREATE INDEX "Distributor_code_trgm_idx" ON "Distributor" USING gin ("code" gin_trgm_ops);
CREATE INDEX "Distributor_email_trgm_idx" ON "Distributor" USING gin ("email" gin_trgm_ops);
CREATE INDEX "Distributor_name_trgm_idx" ON "Distributor" USING gin ("name" gin_trgm_ops);

-- Ledger page: newest first by occurredAt, all kinds or one.
CREATE INDEX "LedgerTransaction_shopId_occurredAt_idx" ON "LedgerTransaction" ("shopId", "occurredAt");
CREATE INDEX "LedgerTransaction_shopId_kind_occurredAt_idx" ON "LedgerTransaction" ("shopId", "kind", "occurredAt");

-- Ledger and Orders pages: an order found by the number the merchant sees.
CREATE INDEX "Order_shopId_orderNumber_idx" ON "Order" ("shopId", "orderNumber");
