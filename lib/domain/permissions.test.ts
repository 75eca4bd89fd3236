import { describe, expect, it } from "vitest";
import { assignableRoles, can } from "./permissions";

describe("can", () => {
  it("ranks member roles", () => {
    expect(can({ kind: "user", role: "VIEWER" }, "team.read")).toBe(true);
    expect(can({ kind: "user", role: "VIEWER" }, "resource.write")).toBe(false);
    expect(can({ kind: "user", role: "ENGINEER" }, "resource.write")).toBe(true);
    expect(can({ kind: "user", role: "ENGINEER" }, "api-key.manage")).toBe(false);
    expect(can({ kind: "user", role: "ADMIN" }, "api-key.manage")).toBe(true);
    expect(can({ kind: "user", role: "ADMIN" }, "member.assign-owner")).toBe(false);
    expect(can({ kind: "user", role: "OWNER" }, "member.assign-owner")).toBe(true);
  });

  it("limits API keys to their scopes and never to session-only actions", () => {
    const readOnly = { kind: "apiKey", scopes: ["read"] } as const;
    const all = { kind: "apiKey", scopes: ["read", "write", "telemetry"] } as const;
    expect(can(readOnly, "team.read")).toBe(true);
    expect(can(readOnly, "resource.write")).toBe(false);
    expect(can(all, "resource.write")).toBe(true);
    expect(can(all, "telemetry.write")).toBe(true);
    expect(can(all, "api-key.manage")).toBe(false);
    expect(can(all, "member.manage")).toBe(false);
    expect(can({ kind: "apiKey", scopes: ["telemetry"] }, "team.read")).toBe(false);
  });
});

describe("assignableRoles", () => {
  it("never lets a role grant more than it holds", () => {
    expect(assignableRoles("OWNER")).toEqual(["OWNER", "ADMIN", "ENGINEER", "VIEWER"]);
    expect(assignableRoles("ADMIN")).toEqual(["ADMIN", "ENGINEER", "VIEWER"]);
  });
});
