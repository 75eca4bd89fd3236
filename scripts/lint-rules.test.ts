/**
 * The import rules of docs/architecture.md fail `npm run lint` when broken. Each case lints a
 * small piece of code as if it sat at a path in the tree (or, for the cycle, two fixture files
 * that import each other), with the repository's own eslint.config.mjs, and expects the rule to
 * fire; the controls expect it not to, so a rule that fires on everything fails too.
 */
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

let eslint: ESLint;
beforeAll(() => {
  // ignore: false lets the fixture folder (ignored by the normal lint) be linted here.
  eslint = new ESLint({ cwd: process.cwd(), ignore: false });
});

/** The rule ids that fire on `code` placed at `filePath`. */
async function rulesAt(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe("import rules (eslint.config.mjs)", { timeout: 60_000 }, () => {
  it("an import cycle anywhere fails", async () => {
    const [result] = await eslint.lintFiles(["test/lint-fixtures/cycle-a.ts"]);
    expect(result?.messages.map((m) => m.ruleId)).toContain("import-x/no-cycle");
  });

  it("a lib/server feature may not import a later feature, by alias or relative path", async () => {
    const file = "lib/server/datasets/lint-fixture.ts";
    expect(
      await rulesAt(
        file,
        `import { listModels } from "@/lib/server/registry/models";\nvoid listModels;\n`,
      ),
    ).toContain("import-x/no-restricted-paths");
    expect(
      await rulesAt(file, `import { listModels } from "../registry/models";\nvoid listModels;\n`),
    ).toContain("import-x/no-restricted-paths");
  });

  it("a lib/server feature may import an earlier one", async () => {
    const rules = await rulesAt(
      "lib/server/registry/lint-fixture.ts",
      `import { toEvalRun } from "@/lib/server/evals/run-views";\nvoid toEvalRun;\n`,
    );
    expect(rules).not.toContain("import-x/no-restricted-paths");
    expect(rules).not.toContain("import-x/no-cycle");
  });

  it("a relative import across a layer boundary fails like an alias one", async () => {
    for (const spec of ["../../lib/server/core/db", "@/lib/server/core/db"])
      expect(
        await rulesAt(
          "components/datasets/lint-fixture.tsx",
          `import { db } from "${spec}";\nvoid db;\n`,
        ),
      ).toContain("import-x/no-restricted-paths");
    expect(
      await rulesAt(
        "lib/domain/lint-fixture.ts",
        `import { env } from "../server/core/env";\nvoid env;\n`,
      ),
    ).toContain("import-x/no-restricted-paths");
  });

  it("a component feature may not import another feature, only ui/ and lib/", async () => {
    const file = "components/evals/lint-fixture.tsx";
    expect(
      await rulesAt(
        file,
        `import { ModelsList } from "../models/models-list";\nvoid ModelsList;\n`,
      ),
    ).toContain("import-x/no-restricted-paths");
    const allowed = await rulesAt(
      file,
      `import { Button } from "@/components/ui/button";\nimport { formatDateTime } from "@/lib/client/format";\nvoid Button;\nvoid formatDateTime;\n`,
    );
    expect(allowed).not.toContain("import-x/no-restricted-paths");
  });
});
