import type { VersionEval } from "@/lib/schemas/models";
import { TARGET_KIND_LABEL } from "./eval-labels";

export type ClassifiedEvals = {
  candidate: VersionEval | null;
  production: VersionEval | null;
  base: VersionEval | null;
  others: VersionEval[];
};

/** Newest first is how the API lists runs; the first match of each role wins. */
function pick(list: VersionEval[], test: (e: VersionEval) => boolean): VersionEval | null {
  const i = list.findIndex(test);
  return i === -1 ? null : list.splice(i, 1)[0]!;
}

/**
 * Sorts a version's evals into the three the page compares: the candidate's own run, the
 * production version's and the base model's, all on the Model's suite.
 */
export function classifyEvals(
  evals: readonly VersionEval[],
  versionId: string,
  productionVersionId: string | null,
): ClassifiedEvals {
  const rest = [...evals];
  const candidate = pick(
    rest,
    (e) => e.target.kind === "MODEL_VERSION" && e.target.modelVersionId === versionId,
  );
  const production = pick(
    rest,
    (e) =>
      e.target.kind === "PRODUCTION" ||
      (productionVersionId !== null &&
        productionVersionId !== versionId &&
        e.target.modelVersionId === productionVersionId),
  );
  const base = pick(rest, (e) => e.target.kind === "BASE_MODEL");
  return { candidate, production, base, others: rest };
}

/** A run the version page lists, with who it evaluated in words ("v3 (this version)"). */
export type EvalRole = { role: string; run: VersionEval };

/** The classified runs in the page's order: this version, production, the base model, the rest. */
export function evalRoles(evals: ClassifiedEvals, version: number): EvalRole[] {
  const roles: EvalRole[] = [];
  if (evals.candidate) roles.push({ role: `v${version} (this version)`, run: evals.candidate });
  if (evals.production) roles.push({ role: "Production", run: evals.production });
  if (evals.base) roles.push({ role: "Base model", run: evals.base });
  for (const o of evals.others) roles.push({ role: TARGET_KIND_LABEL[o.target.kind], run: o });
  return roles;
}
