import { describe, expect, it } from "vitest";
import { addAlias, holderOf, removeAlias } from "./alias-form";

describe("addAlias", () => {
  it("adds a valid alias to the list", () => {
    expect(addAlias(["shadow"], " champion ")).toEqual({
      ok: true,
      aliases: ["shadow", "champion"],
    });
  });

  it("explains a name the API would refuse, in the API's words", () => {
    const r = addAlias([], "Champion!");
    expect(r).toEqual({
      ok: false,
      error: "lower-case letters, digits, _ and -, starting with a letter",
    });
  });

  it("refuses empty and repeated aliases", () => {
    expect(addAlias([], "  ").ok).toBe(false);
    expect(addAlias(["champion"], "champion")).toEqual({
      ok: false,
      error: "this version is already @champion",
    });
  });

  it("refuses a 21st alias", () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `a${i}`);
    expect(addAlias(twenty, "one-more").ok).toBe(false);
  });
});

describe("removeAlias", () => {
  it("drops only that alias", () => {
    expect(removeAlias(["champion", "shadow"], "champion")).toEqual(["shadow"]);
  });
});

describe("holderOf", () => {
  const versions = [
    { id: "v1", version: 1, aliases: ["champion"] },
    { id: "v2", version: 2, aliases: [] },
  ];
  it("names the sibling an alias would move from", () => {
    expect(holderOf(versions, "champion", "v2")).toBe(1);
    expect(holderOf(versions, "champion", "v1")).toBeNull();
    expect(holderOf(versions, "shadow", "v2")).toBeNull();
  });
});
