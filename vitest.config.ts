import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["{lib,workers,components,scripts}/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
          // Files share their worker processes rather than each starting afresh: per-file module
          // loading was most of the unit run (106 s → 25–32 s on 2 cores). So a
          // unit test never sets process.env for code to read (env() is read once per process)
          // nor leaves globals changed: stubs are undone after each test.
          isolate: false,
          unstubEnvs: true,
          unstubGlobals: true,
          // Fake servers listen on loopback, which server-side requests reach only when
          // allowlisted (lib/server/core/outbound.ts); integration-setup.ts does the same.
          env: { RETUNE_OUTBOUND_ALLOW: "127.0.0.1,::1" },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["{lib,workers,app,scripts}/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["./test/integration-setup.ts"],
          // Every /api/v1 response a test gets is checked against the OpenAPI document.
          setupFiles: ["./test/openapi-setup.ts"],
          // One database and one BullMQ prefix per run; files share them, so run files in series.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
