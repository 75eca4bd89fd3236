// Import boundaries of docs/architecture.md ("Import rules"), enforced here rather than with
// `server-only` (workers run in plain Node, where that package throws). Paths are resolved, so a
// relative import (`../../lib/server/…`) is held to the same rules as an `@/` one.
// scripts/lint-rules.test.ts lints a small fixture for each rule, so a rule that stops firing fails.
import { readdirSync } from "node:fs";
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const DOC = "docs/architecture.md";

/**
 * lib/server features, lowest first: a feature may import the ones before it, never one after it.
 * The order is the life of a fine-tune: teams own everything, and their price list (economics)
 * prices every cost figure after it; datasets feed training; training makes candidates that evals
 * score; telemetry watches production; the registry promotes (and freezes a telemetry baseline);
 * retraining closes the loop over all of them. openapi describes every feature's routes (with
 * lib/schemas, importing none of them), so it sits last: no feature may import the API document.
 */
export const SERVER_FEATURES = [
  "core",
  "teams",
  "economics",
  "webhooks",
  "datasets",
  "training",
  "evals",
  "telemetry",
  "registry",
  "retraining",
  "openapi",
];

/** components/ folders that are not features: ui/ is shared by all of them. */
const SHARED_COMPONENTS = ["ui"];
const COMPONENT_FEATURES = readdirSync(new URL("./components", import.meta.url), {
  withFileTypes: true,
})
  .filter((d) => d.isDirectory() && !SHARED_COMPONENTS.includes(d.name))
  .map((d) => d.name);

const nodeOnly = [
  "node:*",
  "@prisma/*",
  "pg",
  "bullmq",
  "ioredis",
  "better-auth/node",
  "better-auth/adapters/*",
];
const noNodeOnly = {
  "no-restricted-imports": [
    "error",
    { patterns: [{ group: nodeOnly, message: `Node-only package in browser code (${DOC})` }] },
  ],
};

/** One zone: files under `target` may not import files under `from`. */
const zone = (target, from, why, except) => ({
  target: `./${target}`,
  from: `./${from}`,
  ...(except ? { except } : {}),
  message: `${why} (${DOC}, "Import rules")`,
});

const layerZones = [
  ...[
    "lib/client",
    "lib/server",
    "workers",
    "app",
    "components",
    "prisma",
    "scripts",
    "e2e",
  ].flatMap((from) => [
    zone("lib/schemas", from, "lib/schemas imports zod and lib/domain only"),
    zone("lib/domain", from, "lib/domain imports zod and lib/schemas only"),
  ]),
  ...["lib/server", "workers", "app", "components"].map((from) =>
    zone("lib/client", from, "lib/client is browser code: schemas, domain and itself only"),
  ),
  ...["lib/server", "workers", "app"].map((from) =>
    zone("components", from, "components render; data comes through lib/client"),
  ),
  ...["lib/client", "components", "app", "workers"].map((from) =>
    zone("lib/server", from, "lib/server is the data layer: it imports no UI, routes or workers"),
  ),
  ...["lib/client", "components", "app"].map((from) =>
    zone("workers", from, "workers run in plain Node: no UI or routes"),
  ),
  zone("app", "workers", "routes enqueue through lib/server; they never call worker code"),
  ...["lib/server", "workers", "app", "components", "prisma"].map((from) =>
    zone("lib/cli", from, "the CLI reaches a server over HTTP only: schemas, domain, lib/client"),
  ),
  ...["lib/server", "lib/client", "workers", "app", "components"].map((from) =>
    zone(from, "lib/cli", "nothing imports the CLI: it is a program, not a library"),
  ),
];

const featureZones = SERVER_FEATURES.flatMap((feature, i) =>
  SERVER_FEATURES.slice(i + 1).map((higher) =>
    zone(
      `lib/server/${feature}`,
      `lib/server/${higher}`,
      `lib/server/${feature} may not import lib/server/${higher}: features import only the ones before them (${SERVER_FEATURES.join(" → ")})`,
    ),
  ),
);

const componentZones = COMPONENT_FEATURES.map((feature) =>
  zone(
    `components/${feature}`,
    "components",
    `components/${feature} may import components/ui, lib/ and itself only; compose features in app/`,
    [`./${feature}`, ...SHARED_COMPONENTS.map((s) => `./${s}`)],
  ),
);

export default tseslint.config(
  {
    ignores: [
      "trainers/.venv/",
      "data/",
      "node_modules/",
      ".next/",
      "lib/server/generated/",
      "next-env.d.ts",
      "test-results/",
      "playwright-report/",
      // Deliberate violations, linted only by scripts/lint-rules.test.ts.
      "test/lint-fixtures/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "import-x": importX },
    settings: {
      // Parsers and extensions for reading imported files (no-cycle walks them).
      ...importX.flatConfigs.typescript.settings,
      "import-x/resolver": undefined,
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      // Type-only imports are erased at run time and are not counted as cycles.
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-restricted-paths": ["error", { zones: [...layerZones, ...featureZones] }],
    },
  },
  {
    // A component feature folder imports ui/, lib/ and itself; composing features is app/'s job.
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "import-x/no-restricted-paths": ["error", { zones: [...layerZones, ...componentZones] }],
    },
  },
  {
    files: ["lib/schemas/**", "lib/domain/**"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              // lossless-json: a pure parser (no I/O) the BFCL scoring profile reads number
              // lexemes with (lib/domain/scoring/raw-numbers.ts, issue #16).
              regex: "^(?!zod$|lossless-json$|\\.\\.?/|@/lib/(domain|schemas)/)",
              message: `lib/schemas and lib/domain import zod, lossless-json and each other only (${DOC})`,
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  { files: ["lib/client/**", "components/**"], rules: noNodeOnly },
  {
    files: ["**/*.mjs"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        TextDecoder: "readonly",
        URL: "readonly",
      },
    },
  },
);
