-- AlterTable
ALTER TABLE "EvalRun" ADD COLUMN     "slices" JSONB;
