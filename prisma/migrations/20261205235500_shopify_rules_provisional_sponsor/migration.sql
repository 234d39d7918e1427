-- Written by hand: `npm run db:migration` crashed in Prisma's WASM schema engine (RuntimeError: unreachable).
-- A customer auto-enrolled under the default sponsor stays provisional until this instant (ADR 0008).
ALTER TABLE "Distributor" ADD COLUMN "provisionalSponsorUntil" TIMESTAMP(3);

-- Why the attribution rule that won did win, stored with the order's commission snapshot.
ALTER TABLE "Commission" ADD COLUMN "attributionReason" TEXT;
