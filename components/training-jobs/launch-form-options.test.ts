import { describe, expect, it } from "vitest";
import {
  baseModelOptions,
  datasetOptions,
  executorOptions,
  versionOptions,
} from "./launch-form-options";

describe("launch form options", () => {
  it("says what to do first, or that datasets are loading", () => {
    expect(datasetOptions(undefined, true)[0]!.label).toBe("Loading datasets…");
    expect(datasetOptions([{ id: "d1", name: "support" }], false)).toEqual([
      { value: "", label: "Choose a dataset" },
      { value: "d1", label: "support" },
    ]);
  });

  it("offers only READY versions, never the excluded one", () => {
    expect(versionOptions(undefined, true)[0]!.label).toBe("Loading versions…");
    expect(versionOptions(undefined, false)[0]!.label).toBe("Choose a dataset first");
    const opts = versionOptions(
      {
        versions: [
          { id: "a", version: 3, status: "READY", stats: { validRows: 120 } },
          { id: "b", version: 2, status: "VALIDATING", stats: null },
          { id: "c", version: 1, status: "READY" },
        ],
      },
      false,
      "c",
    );
    expect(opts).toEqual([
      { value: "", label: "Choose a version" },
      { value: "a", label: "v3 · 120 rows", disabled: false },
      { value: "b", label: "v2 · validating", disabled: true },
      { value: "c", label: "v1 · ? rows", disabled: true },
    ]);
  });

  it("marks executors this deployment lacks", () => {
    const opts = executorOptions([{ kind: "DOCKER", available: false }]);
    expect(opts.find((o) => o.value === "DOCKER")).toEqual({
      value: "DOCKER",
      label: "Docker (unavailable)",
      disabled: true,
    });
    expect(opts.find((o) => o.value === "LOCAL")).toEqual({
      value: "LOCAL",
      label: "Local",
      disabled: false,
    });
  });

  it("shows base model sizes, or just the current choice until the catalogue loads", () => {
    expect(baseModelOptions(undefined, "retune/tiny-chat")).toEqual([
      { value: "retune/tiny-chat", label: "retune/tiny-chat" },
    ]);
    expect(
      baseModelOptions(
        [
          { id: "q", name: "Qwen", paramsB: 7 },
          { id: "t", name: "Tiny", paramsB: 0.01 },
        ],
        "q",
      ).map((o) => o.label),
    ).toEqual(["Qwen · 7B", "Tiny"]);
  });
});
