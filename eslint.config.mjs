// Import boundaries from DESIGN.md §3, enforced here rather than with `server-only` (workers run
// in plain Node, where that package throws).
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const nodeOnly = [
  "node:*",
  "@prisma/*",
  "pg",
  "bullmq",
  "ioredis",
  "better-auth/node",
  "better-auth/adapters/*",
];
const restrict = (...group) => ({
  "no-restricted-imports": [
    "error",
    { patterns: [{ group, message: "crosses a layer boundary (DESIGN.md §3)" }] },
  ],
});

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
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
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
              regex: "^(?!zod$|\\./|@/lib/(domain|schemas)/)",
              message: "lib/schemas and lib/domain import zod and each other only (DESIGN.md §3)",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/client/**"],
    rules: restrict("@/lib/server/*", "@/workers/*", "@/app/*", "@/components/*", ...nodeOnly),
  },
  {
    files: ["components/**"],
    rules: restrict("@/lib/server/*", "@/workers/*", "@/app/*", ...nodeOnly),
  },
  {
    files: ["lib/server/**"],
    rules: restrict(
      "@/lib/client/*",
      "@/components/*",
      "@/app/*",
      "@/workers/*",
      "react",
      "react-dom",
      "next/*",
    ),
  },
  {
    files: ["workers/**"],
    rules: restrict(
      "@/lib/client/*",
      "@/components/*",
      "@/app/*",
      "react",
      "react-dom",
      "next",
      "next/*",
    ),
  },
  { files: ["app/**"], rules: restrict("@/workers/*") },
  {
    files: ["**/*.mjs"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        TextDecoder: "readonly",
      },
    },
  },
);
