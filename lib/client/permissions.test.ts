import { describe, expect, it } from "vitest";
import { canApprove, canEdit, canOverride, canPromote } from "./permissions";

describe("registry permissions", () => {
  it("lets engineers and above promote, and nobody while the role is unknown", () => {
    expect(canPromote("ENGINEER")).toBe(true);
    expect(canPromote("OWNER")).toBe(true);
    expect(canPromote("VIEWER")).toBe(false);
    expect(canPromote(null)).toBe(false);
  });
  it("keeps override to owners", () => {
    expect(canOverride("OWNER")).toBe(true);
    expect(canOverride("ADMIN")).toBe(false);
  });
  it("follows the policy's approver roles", () => {
    expect(canApprove("ADMIN", ["OWNER", "ADMIN"])).toBe(true);
    expect(canApprove("ENGINEER", ["OWNER", "ADMIN"])).toBe(false);
    expect(canApprove("ENGINEER", ["ENGINEER"])).toBe(true);
  });
  it("lets engineers edit", () => {
    expect(canEdit("ENGINEER")).toBe(true);
    expect(canEdit("VIEWER")).toBe(false);
  });
});
