-- AlterEnum
ALTER TYPE "TrainingStatus" ADD VALUE 'CANCELLING';
