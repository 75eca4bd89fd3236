-- AlterTable
ALTER TABLE "EvalSuite" ADD COLUMN     "scoringProfile" TEXT NOT NULL DEFAULT 'retune',
ADD COLUMN     "turns" TEXT NOT NULL DEFAULT 'first';
