-- CreateEnum
CREATE TYPE "PriceKind" AS ENUM ('FRONTIER', 'SELF_HOSTED');

-- CreateTable
CREATE TABLE "PriceEntry" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "kind" "PriceKind" NOT NULL,
    "priceId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "asOf" DATE NOT NULL,
    "source" TEXT NOT NULL,
    "figures" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PriceEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PriceEntry_teamId_kind_priceId_key" ON "PriceEntry"("teamId", "kind", "priceId");

-- AddForeignKey
ALTER TABLE "PriceEntry" ADD CONSTRAINT "PriceEntry_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
