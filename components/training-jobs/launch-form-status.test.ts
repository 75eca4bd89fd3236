import { describe, expect, it } from "vitest";
import type { TrainingPreview } from "@/lib/client/hooks/training-jobs";
import { checkForm, initialFormState, type LaunchFormState } from "./launch-form-state";
import {
  gpuLabel,
  hasField,
  isFilled,
  isLaunchable,
  labelOf,
  launchHintOf,
  previewStateOf,
  unavailableHint,
} from "./launch-form-status";

function filled(over: Partial<LaunchFormState> = {}): LaunchFormState {
  return { ...initialFormState(), model: "support/tool-caller", datasetVersionId: "v1", ...over };
}

const answer = (blockers: string[] = []) => ({ blockers }) as unknown as TrainingPreview;

describe("field paths", () => {
  it("names fields by the API's paths, hyperparameters by their row", () => {
    expect(labelOf("model")).toBe("Model name");
    expect(labelOf("hyperparameters.loraR")).toBe("LoRA r");
    expect(labelOf("(body)")).toBe("(body)");
    expect(hasField("compute.gpuCount")).toBe(true);
    expect(hasField("hyperparameters.seed")).toBe(true);
    expect(hasField("(body)")).toBe(false);
  });

  it("knows which fields hold something", () => {
    const s = filled({ model: "  ", targetModules: "q_proj" });
    expect(isFilled(s, "model")).toBe(false);
    expect(isFilled(s, "datasetVersionId")).toBe(true);
    expect(isFilled(s, "hyperparameters.targetModules")).toBe(true);
    expect(isFilled({ ...s, hp: { ...s.hp, seed: "" } }, "hyperparameters.seed")).toBe(false);
    expect(isFilled(s, "method")).toBe(true);
  });
});

describe("previewStateOf", () => {
  it("lists what is missing while the form is incomplete", () => {
    const state = filled({ model: "" });
    const p = previewStateOf({
      state,
      check: checkForm(state),
      error: null,
      preview: undefined,
      current: false,
    });
    expect(p).toEqual({ kind: "incomplete", missing: ["Model name"] });
  });

  it("prefers the current error, then the last answer (checking until current), then loading", () => {
    const state = filled();
    const check = checkForm(state);
    expect(check.ok).toBe(true);
    const base = { state, check, error: null, preview: undefined, current: false };
    expect(previewStateOf({ ...base, error: new Error("x") }).kind).toBe("error");
    expect(previewStateOf({ ...base, preview: answer() })).toMatchObject({
      kind: "ready",
      checking: true,
    });
    expect(previewStateOf({ ...base, preview: answer(), current: true })).toMatchObject({
      checking: false,
    });
    expect(previewStateOf(base)).toEqual({ kind: "loading" });
  });
});

describe("isLaunchable and launchHintOf", () => {
  const state = filled();
  const check = checkForm(state);
  const ready = (blockers: string[], checking = false) =>
    ({ kind: "ready", preview: answer(blockers), checking }) as const;

  it("launches only a valid form with a current, unblocked preview", () => {
    expect(isLaunchable(check, ready([]))).toBe(true);
    expect(isLaunchable(check, ready([], true))).toBe(false);
    expect(isLaunchable(check, ready(["no GPU"]))).toBe(false);
    expect(isLaunchable(check, { kind: "loading" })).toBe(false);
  });

  it("says what stands in the way", () => {
    const empty = filled({ model: "" });
    const emptyCheck = checkForm(empty);
    expect(launchHintOf(emptyCheck, { kind: "incomplete", missing: ["Model name"] })).toBe(
      "To launch, fill in: Model name.",
    );
    expect(launchHintOf(emptyCheck, { kind: "incomplete", missing: [] })).toBe(
      "Fix the highlighted fields to launch.",
    );
    expect(launchHintOf(check, { kind: "loading" })).toBe("Checking the latest changes…");
    expect(launchHintOf(check, ready(["a", "b"]))).toBe(
      "Blocked: 2 issues to fix (see the estimate).",
    );
    expect(launchHintOf(check, { kind: "error", error: new Error("x") })).toBe(
      "This spec cannot launch as it is (see the estimate).",
    );
    expect(launchHintOf(check, ready([]))).toBe("Ready to launch.");
  });
});

describe("gpuLabel and unavailableHint", () => {
  it("reads GPU ids and lists unconfigured executors", () => {
    expect(gpuLabel("A100-80GB")).toBe("A100 80GB");
    expect(gpuLabel("CPU")).toBe("CPU");
    expect(
      unavailableHint([
        { kind: "LOCAL", available: true },
        { kind: "KUBERNETES", available: false },
      ]),
    ).toBe("Not configured here: kubernetes.");
    expect(unavailableHint(undefined)).toBeUndefined();
  });
});
