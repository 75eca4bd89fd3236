import path from "node:path";

/**
 * The environment of the e2e run's `next start` and worker — their own database, BullMQ prefix
 * and artifact folder — shared by playwright.config.ts and specs that run a script against the
 * same stack (the demo story).
 */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;

export const serverEnv = {
  ...process.env,
  NODE_ENV: "production",
  APP_URL: E2E_BASE_URL,
  DATABASE_URL: process.env.E2E_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/retune_e2e",
  BULLMQ_PREFIX: process.env.E2E_BULLMQ_PREFIX ?? "retune-e2e",
  RETUNE_ALLOW_DEV_SECRET: "1",
  // The tiny local base model is built once and shared by every test run on this checkout.
  BASE_MODEL_DIR: process.env.BASE_MODEL_DIR ?? path.resolve("data/base-models"),
  TRAINING_POLL_MS: "500",
  ...(process.env.E2E_ARTIFACT_DIR ? { ARTIFACT_DIR: process.env.E2E_ARTIFACT_DIR } : {}),
} as Record<string, string>;
