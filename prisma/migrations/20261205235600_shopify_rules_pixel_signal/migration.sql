-- Written by hand (db:migration crashes in Prisma's WASM schema engine). The Web Pixel's checkout reports.
CREATE TABLE "PixelSignal" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "platformOrderId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" TEXT,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "PixelSignal_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "PixelSignal_shopId_platformOrderId_key" ON "PixelSignal"("shopId", "platformOrderId");

ALTER TABLE "PixelSignal" ADD CONSTRAINT "PixelSignal_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
