-- AlterTable
ALTER TABLE "TrainingRunAttempt" ADD COLUMN     "automatic" BOOLEAN NOT NULL DEFAULT false;
