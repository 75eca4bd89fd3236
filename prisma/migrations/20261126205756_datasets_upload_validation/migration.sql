-- AlterEnum
ALTER TYPE "DatasetFormat" ADD VALUE 'SHAREGPT';

-- AlterTable
ALTER TABLE "DatasetVersion" ADD COLUMN     "baseModel" TEXT,
ADD COLUMN     "compressed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "declaredFormat" TEXT NOT NULL DEFAULT 'auto',
ADD COLUMN     "error" TEXT,
ADD COLUMN     "parentVersionId" TEXT,
ADD COLUMN     "processedBytes" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "validatedAt" TIMESTAMP(3);
