import { describe, expect, it } from "vitest";
import { actorLabel, actorRefOf, personLabel } from "./actor-label";

describe("actorLabel", () => {
  it("names a person by name", () => {
    expect(actorLabel({ kind: "user", id: "u1", name: "Ada Lovelace", email: "ada@x.test" })).toBe(
      "Ada Lovelace",
    );
  });

  it("falls back to the email when the name is blank", () => {
    expect(actorLabel({ kind: "user", id: "u1", name: "  ", email: "ada@x.test" })).toBe(
      "ada@x.test",
    );
  });

  it("never shows a deleted person's id", () => {
    expect(actorLabel({ kind: "user", id: "0193-uuid" })).toBe("a former member");
  });

  it("names an API key by its name", () => {
    expect(actorLabel({ kind: "apiKey", id: "k1", name: "production agent" })).toBe(
      "API key production agent",
    );
    expect(actorLabel({ kind: "apiKey", id: "k1", name: null })).toBe("a deleted API key");
  });

  it("calls retune acting on its own retune", () => {
    expect(actorLabel({ kind: "system" })).toBe("retune");
  });

  it("is never 'a team member'", () => {
    const labels = [
      actorLabel({ kind: "user", id: "u", name: "Bo" }),
      actorLabel({ kind: "apiKey", id: "k", name: "ci" }),
      actorLabel({ kind: "system" }),
    ];
    expect(labels.join(" ")).not.toMatch(/team member/);
  });
});

describe("personLabel", () => {
  it("prefers the name, trims, and is null with neither", () => {
    expect(personLabel(" Bo ", "bo@x.test")).toBe("Bo");
    expect(personLabel(null, null)).toBeNull();
  });
});

describe("actorRefOf", () => {
  const users = new Map([["u1", { name: "Ada", email: "ada@x.test" }]]);
  const keys = new Map([["k1", "ci"]]);

  it("prefers the user, then the key, then retune", () => {
    expect(actorLabel(actorRefOf({ actorUserId: "u1", actorApiKeyId: null }, users, keys))).toBe(
      "Ada",
    );
    expect(actorLabel(actorRefOf({ actorUserId: null, actorApiKeyId: "k1" }, users, keys))).toBe(
      "API key ci",
    );
    expect(actorLabel(actorRefOf({ actorUserId: null, actorApiKeyId: null }, users, keys))).toBe(
      "retune",
    );
  });

  it("keeps unknown ids as refs without names", () => {
    expect(actorRefOf({ actorUserId: "gone", actorApiKeyId: null }, users, keys)).toEqual({
      kind: "user",
      id: "gone",
      name: undefined,
      email: undefined,
    });
  });
});
