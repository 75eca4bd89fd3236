import { describe, expect, it } from "vitest";
import { luhnValid } from "./luhn";

describe("luhnValid", () => {
  it("accepts card test numbers and rejects a changed digit", () => {
    for (const n of [
      "4111111111111111",
      "5555555555554444",
      "378282246310005",
      "6011111111111117",
    ]) {
      expect(luhnValid(n)).toBe(true);
    }
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(luhnValid("79927398713")).toBe(true);
  });

  it("skips separators and honours the range", () => {
    expect(luhnValid("4111 1111-1111 1111")).toBe(true);
    expect(luhnValid("xx4111111111111111yy", 2, 18)).toBe(true);
    expect(luhnValid("xx4111111111111111yy", 2, 17)).toBe(false);
  });

  it("needs at least two digits", () => {
    expect(luhnValid("")).toBe(false);
    expect(luhnValid("0")).toBe(false);
    expect(luhnValid("00")).toBe(true);
  });
});
