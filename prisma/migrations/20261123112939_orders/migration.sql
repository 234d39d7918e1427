-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('paid', 'pending', 'cancelled', 'refunded', 'partially_refunded');

-- CreateEnum
CREATE TYPE "RefundStatus" AS ENUM ('parked', 'recorded');

-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "normalized" JSONB;

-- CreateTable
CREATE TABLE "Order" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "connectionId" UUID,
    "platform" "Platform" NOT NULL,
    "platformOrderId" TEXT NOT NULL,
    "orderNumber" TEXT,
    "orderedAt" TIMESTAMP(3) NOT NULL,
    "platformUpdatedAt" TIMESTAMP(3) NOT NULL,
    "status" "OrderStatus" NOT NULL,
    "currency" TEXT NOT NULL,
    "customerPlatformId" TEXT,
    "customerEmail" TEXT,
    "referralCode" TEXT,
    "referralSource" TEXT,
    "discountCodes" TEXT[],
    "subtotalMinor" BIGINT NOT NULL,
    "discountMinor" BIGINT NOT NULL,
    "shippingMinor" BIGINT NOT NULL,
    "taxMinor" BIGINT NOT NULL,
    "totalMinor" BIGINT NOT NULL,
    "normalized" JSONB NOT NULL,
    "sourceEventId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "platformLineId" TEXT NOT NULL,
    "sku" TEXT,
    "platformProductId" TEXT,
    "platformVariantId" TEXT,
    "title" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitPriceMinor" BIGINT NOT NULL,
    "discountMinor" BIGINT NOT NULL,
    "taxMinor" BIGINT NOT NULL,
    "netMinor" BIGINT NOT NULL,

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Refund" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shopId" UUID NOT NULL,
    "platform" "Platform" NOT NULL,
    "platformRefundId" TEXT NOT NULL,
    "platformOrderId" TEXT NOT NULL,
    "orderId" UUID,
    "refundedAt" TIMESTAMP(3) NOT NULL,
    "currency" TEXT NOT NULL,
    "totalMinor" BIGINT NOT NULL,
    "status" "RefundStatus" NOT NULL,
    "normalized" JSONB NOT NULL,
    "sourceEventId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Refund_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Order_shopId_orderedAt_idx" ON "Order"("shopId", "orderedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shopId_platform_platformOrderId_key" ON "Order"("shopId", "platform", "platformOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shopId_id_key" ON "Order"("shopId", "id");

-- CreateIndex
CREATE INDEX "OrderLine_shopId_sku_idx" ON "OrderLine"("shopId", "sku");

-- CreateIndex
CREATE UNIQUE INDEX "OrderLine_orderId_platformLineId_key" ON "OrderLine"("orderId", "platformLineId");

-- CreateIndex
CREATE INDEX "Refund_shopId_platform_platformOrderId_idx" ON "Refund"("shopId", "platform", "platformOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_shopId_platform_platformRefundId_key" ON "Refund"("shopId", "platform", "platformRefundId");

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

