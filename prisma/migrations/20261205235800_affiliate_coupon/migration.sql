-- Written by hand (db:migration crashes in Prisma's WASM schema engine). Affiliates' personal coupons in Shopify.
CREATE TABLE "AffiliateCoupon" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "distributorId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "percentOff" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "shopifyDiscountId" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AffiliateCoupon_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "AffiliateCoupon_status_check" CHECK ("status" IN ('creating', 'active', 'disabled', 'deleted', 'failed')),
    CONSTRAINT "AffiliateCoupon_percentOff_check" CHECK ("percentOff" BETWEEN 1 AND 100)
);

CREATE UNIQUE INDEX "AffiliateCoupon_shopId_distributorId_key" ON "AffiliateCoupon"("shopId", "distributorId");

ALTER TABLE "AffiliateCoupon" ADD CONSTRAINT "AffiliateCoupon_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AffiliateCoupon" ADD CONSTRAINT "AffiliateCoupon_shopId_distributorId_fkey" FOREIGN KEY ("shopId", "distributorId") REFERENCES "Distributor"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
