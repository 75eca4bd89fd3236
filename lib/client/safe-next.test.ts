import { describe, expect, it } from "vitest";
import { DEFAULT_AFTER_SIGN_IN, safeNext } from "./safe-next";

describe("safeNext", () => {
  it("keeps paths on this site", () => {
    expect(safeNext("/invite/abc")).toBe("/invite/abc");
    expect(safeNext(["/status", "/other"])).toBe("/status");
    expect(safeNext("/settings/members?x=1")).toBe("/settings/members?x=1");
  });

  it.each([
    undefined,
    null,
    "",
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
  ])("refuses %s", (next) => expect(safeNext(next)).toBe(DEFAULT_AFTER_SIGN_IN));

  it("lands on the home page without a target", () => {
    expect(DEFAULT_AFTER_SIGN_IN).toBe("/");
    expect(safeNext(undefined)).toBe("/");
  });

  it("does not send a signed-in user back to the auth pages", () => {
    expect(safeNext("/sign-in")).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeNext("/sign-up?next=/x")).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeNext("/sign-ins-report")).toBe("/sign-ins-report");
  });
});
