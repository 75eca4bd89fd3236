import { describe, expect, it } from "vitest";
import { bfclStandardizeString, standardizeString } from "./normalize";

describe("string standardisation", () => {
  it("bfcl: lowercase, drop spaces and , . / - _ * ^, read ' as \" (BFCL's standardize_string)", () => {
    expect(bfclStandardizeString("April 1, 2024")).toBe("april12024");
    expect(bfclStandardizeString("km/h_-*^.")).toBe("kmh");
    expect(bfclStandardizeString("it's")).toBe('it"s');
    // Only the ASCII space goes.
    expect(bfclStandardizeString("a\tb\nc\u00a0d")).toBe("a\tb\nc\u00a0d");
  });

  it("retune: the same, but every whitespace character goes", () => {
    expect(standardizeString("a\tb\nc\u00a0d e")).toBe("abcde");
    expect(standardizeString("April 1, 2024")).toBe(bfclStandardizeString("April 1, 2024"));
  });
});
