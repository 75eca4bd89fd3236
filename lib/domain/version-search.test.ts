import { describe, expect, it } from "vitest";
import { parseVersionSearch } from "./version-search";

describe("parseVersionSearch", () => {
  it("is null for nothing typed", () => {
    expect(parseVersionSearch(undefined)).toBeNull();
    expect(parseVersionSearch("   ")).toBeNull();
  });

  it("reads a plain text as part of a name only", () => {
    expect(parseVersionSearch(" Support ")).toEqual({ text: "Support" });
    // A version glued to the name is part of the name, not a version.
    expect(parseVersionSearch("tool-caller-v2")).toEqual({ text: "tool-caller-v2" });
    expect(parseVersionSearch("dev3")).toEqual({ text: "dev3" });
  });

  it("reads a trailing version after a space or the label's dot, and keeps the whole text too", () => {
    expect(parseVersionSearch("support agent v3")).toEqual({
      text: "support agent v3",
      versioned: { name: "support agent", version: 3 },
    });
    expect(parseVersionSearch("support agent · v12")).toEqual({
      text: "support agent · v12",
      versioned: { name: "support agent", version: 12 },
    });
    expect(parseVersionSearch("gpt 4")).toEqual({ text: "gpt 4", versioned: undefined });
  });

  it("reads a version alone as any name's version", () => {
    expect(parseVersionSearch("v7")).toEqual({ text: "v7", versioned: { name: "", version: 7 } });
    expect(parseVersionSearch("7")).toEqual({ text: "7", versioned: { name: "", version: 7 } });
  });

  it("ignores numbers too large to be a version", () => {
    expect(parseVersionSearch("v99999999999")).toEqual({ text: "v99999999999" });
  });
});
