import { defineConfig } from "@playwright/test";
import { E2E_BASE_URL, E2E_PORT, serverEnv } from "./e2e/server-env";

/**
 * e2e against `next start` and the worker, on their own database and BullMQ prefix, in Debian's
 * Chromium (Playwright cannot download its own browsers here). scripts/test-all.sh migrates the
 * e2e database and builds first.
 */
const PORT = E2E_PORT;
const baseURL = E2E_BASE_URL;
const env = serverEnv;

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
