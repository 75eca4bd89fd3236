import { describe, expect, it } from "vitest";
import { hyperparameterRows, hyperparameterText } from "./model-card-state";

describe("hyperparameterRows", () => {
  it("lists known hyperparameters in the form's order, then unknown keys alphabetically", () => {
    const rows = hyperparameterRows({
      zeta: "z",
      learningRate: 0.0002,
      loraR: 16,
      alpha_custom: [1, 2],
      targetModules: ["q_proj", "v_proj"],
    });
    expect(rows).toEqual([
      { label: "LoRA r", text: "16" },
      { label: "Target modules", text: "q_proj, v_proj" },
      { label: "Learning rate", text: "2.00e-4" },
      { label: "alpha_custom", text: "1, 2" },
      { label: "zeta", text: "z" },
    ]);
  });

  it("leaves out unset known keys and is empty for nothing recorded", () => {
    expect(hyperparameterRows({ loraR: undefined })).toEqual([]);
    expect(hyperparameterRows({})).toEqual([]);
  });
});

describe("hyperparameterText", () => {
  it("prints nulls, numbers and objects readably", () => {
    expect(hyperparameterText(null)).toBe("—");
    expect(hyperparameterText(0.580312)).toBe("0.5803");
    expect(hyperparameterText({ a: 1 })).toBe('{"a":1}');
    expect(hyperparameterText(true)).toBe("true");
  });
});
