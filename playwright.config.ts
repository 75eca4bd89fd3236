import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * e2e against `next start` and the worker, on their own database and BullMQ prefix, in Debian's
 * Chromium (Playwright cannot download its own browsers here). scripts/test-all.sh migrates the
 * e2e database and builds first.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;
const env = {
  ...process.env,
  NODE_ENV: "production",
  APP_URL: baseURL,
  DATABASE_URL: process.env.E2E_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/retune_e2e",
  BULLMQ_PREFIX: process.env.E2E_BULLMQ_PREFIX ?? "retune-e2e",
  RETUNE_ALLOW_DEV_SECRET: "1",
  // The tiny local base model is built once and shared by every test run on this checkout.
  BASE_MODEL_DIR: process.env.BASE_MODEL_DIR ?? path.resolve("data/base-models"),
  TRAINING_POLL_MS: "500",
  ...(process.env.E2E_ARTIFACT_DIR ? { ARTIFACT_DIR: process.env.E2E_ARTIFACT_DIR } : {}),
} as Record<string, string>;

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: [
    {
      command: `npx next start -p ${PORT}`,
      url: `${baseURL}/api/v1/health`,
      env,
      timeout: 120_000,
      reuseExistingServer: false,
    },
    {
      command: "npx tsx workers/index.ts",
      env: { ...env, WORKER_SHUTDOWN_GRACE_S: "2" },
      wait: { stdout: /worker started/ },
      timeout: 60_000,
      reuseExistingServer: false,
    },
  ],
});
