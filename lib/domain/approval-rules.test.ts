import { describe, expect, it } from "vitest";
import { approvalRefusal, type ApprovalAsk } from "./approval-rules";

const ask = (over: Partial<ApprovalAsk> = {}): ApprovalAsk => ({
  actor: { kind: "user", role: "ADMIN" },
  userId: "u1",
  approverRoles: ["OWNER", "ADMIN"],
  mustDifferFromLauncher: false,
  launcherId: "u1",
  ...over,
});

describe("approvalRefusal", () => {
  it("lets an approver role approve", () => {
    expect(approvalRefusal(ask())).toBeNull();
  });

  it("refuses API keys and retune itself", () => {
    expect(approvalRefusal(ask({ actor: { kind: "apiKey", scopes: ["write"] } }))).toMatch(
      /signed-in people/,
    );
    expect(approvalRefusal(ask({ actor: { kind: "system" }, userId: null }))).toMatch(
      /signed-in people/,
    );
  });

  it("refuses a role the policy does not name, saying which it needs", () => {
    expect(approvalRefusal(ask({ actor: { kind: "user", role: "ENGINEER" } }))).toBe(
      "approving needs one of the roles OWNER, ADMIN; you are ENGINEER",
    );
  });

  it("refuses a VIEWER even when a policy names VIEWER", () => {
    expect(
      approvalRefusal(
        ask({ actor: { kind: "user", role: "VIEWER" }, approverRoles: ["VIEWER", "OWNER"] }),
      ),
    ).toMatch(/you are VIEWER/);
  });

  it("applies four eyes only when the policy asks", () => {
    expect(approvalRefusal(ask({ mustDifferFromLauncher: true }))).toMatch(/other than whoever/);
    expect(approvalRefusal(ask({ mustDifferFromLauncher: true, launcherId: "u2" }))).toBeNull();
    expect(approvalRefusal(ask({ mustDifferFromLauncher: true, launcherId: null }))).toBeNull();
  });
});
