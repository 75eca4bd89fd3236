import { describe, expect, it } from "vitest";
import type { VersionEval } from "@/lib/schemas/models";
import { classifyEvals, evalRoles } from "./version-evals";

function run(
  runId: string,
  kind: VersionEval["target"]["kind"],
  modelVersionId: string | null = null,
): VersionEval {
  return {
    runId,
    status: "SUCCEEDED",
    target: { kind, label: runId, modelVersionId, baseModel: null, endpoint: null },
    metrics: {},
    caseCount: 10,
    progress: 1,
  };
}

describe("classifyEvals", () => {
  it("finds the candidate's, production's and the base model's runs", () => {
    const evals = [
      run("base", "BASE_MODEL"),
      run("prod", "MODEL_VERSION", "v2"),
      run("mine", "MODEL_VERSION", "v3"),
      run("ext", "ENDPOINT"),
    ];
    const c = classifyEvals(evals, "v3", "v2");
    expect(c.candidate?.runId).toBe("mine");
    expect(c.production?.runId).toBe("prod");
    expect(c.base?.runId).toBe("base");
    expect(c.others.map((e) => e.runId)).toEqual(["ext"]);
  });

  it("does not count the candidate as production when it is production", () => {
    const c = classifyEvals([run("mine", "MODEL_VERSION", "v2")], "v2", "v2");
    expect(c.candidate?.runId).toBe("mine");
    expect(c.production).toBeNull();
  });

  it("accepts a PRODUCTION alias target", () => {
    expect(classifyEvals([run("p", "PRODUCTION")], "v3", null).production?.runId).toBe("p");
  });
});

describe("evalRoles", () => {
  it("names each run in the page's order, every run once", () => {
    const evals = [
      run("ext", "ENDPOINT"),
      run("base", "BASE_MODEL"),
      run("mine", "MODEL_VERSION", "v3"),
    ];
    const roles = evalRoles(classifyEvals(evals, "v3", null), 3);
    expect(roles.map((r) => [r.role, r.run.runId])).toEqual([
      ["v3 (this version)", "mine"],
      ["Base model", "base"],
      ["Endpoint", "ext"],
    ]);
  });

  it("is empty only when there are no runs", () => {
    expect(evalRoles(classifyEvals([], "v3", null), 3)).toEqual([]);
  });
});
