-- Written by hand (db:migration crashes in Prisma's WASM schema engine). Rotating a connection's webhook secret
-- keeps the old one valid until "previousSecretUntil", so deliveries the store signed before the merchant pasted
-- the new secret still verify during the grace period.
ALTER TABLE "Connection" ADD COLUMN "previousWebhookSecret" TEXT;
ALTER TABLE "Connection" ADD COLUMN "previousSecretUntil" TIMESTAMP(3);
