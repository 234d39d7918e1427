-- CreateTable
-- Written by hand, as the SQL Prisma generates for the CatalogVariant model (npm run db:migration crashes in
-- the WASM schema engine on this history).
CREATE TABLE "CatalogVariant" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "platform" "Platform" NOT NULL,
    "platformProductId" TEXT NOT NULL,
    "platformVariantId" TEXT NOT NULL,
    "sku" TEXT,
    "productTitle" TEXT NOT NULL,
    "variantTitle" TEXT NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "productUpdatedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CatalogVariant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CatalogVariant_shopId_platform_platformProductId_idx" ON "CatalogVariant"("shopId", "platform", "platformProductId");

-- CreateIndex
CREATE INDEX "CatalogVariant_shopId_sku_idx" ON "CatalogVariant"("shopId", "sku");

-- CreateIndex
CREATE UNIQUE INDEX "CatalogVariant_shopId_platform_platformVariantId_key" ON "CatalogVariant"("shopId", "platform", "platformVariantId");

-- AddForeignKey
ALTER TABLE "CatalogVariant" ADD CONSTRAINT "CatalogVariant_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
