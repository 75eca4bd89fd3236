import { describe, expect, it } from "vitest";
import type { ModelDetail } from "@/lib/schemas/models";
import { parseVersionRef, pickVersion } from "./version-ref";

const version = (n: number, stage: string, aliases: string[] = []) =>
  ({ id: `id-${n}`, version: n, stage, aliases }) as unknown as ModelDetail["versions"][number];

const model = {
  name: "support-agent/tool-caller",
  versions: [version(3, "CANDIDATE", ["canary"]), version(2, "PRODUCTION"), version(1, "ARCHIVED")],
} as unknown as ModelDetail;

describe("version references", () => {
  it("reads an id, or a Model and a selector split at the last @", () => {
    expect(parseVersionRef("cmf0x9")).toEqual({ versionId: "cmf0x9" });
    expect(parseVersionRef("support-agent/tool-caller@3")).toEqual({
      model: "support-agent/tool-caller",
      selector: "3",
    });
    // Not a reference to a Model: nothing before or after the @.
    expect(parseVersionRef("@3")).toEqual({ versionId: "@3" });
    expect(parseVersionRef("m@")).toEqual({ versionId: "m@" });
  });

  it("picks a version by number, latest, production or alias", () => {
    expect(pickVersion(model, "2")?.id).toBe("id-2");
    expect(pickVersion(model, "v1")?.id).toBe("id-1");
    expect(pickVersion(model, "latest")?.id).toBe("id-3");
    expect(pickVersion(model, "production")?.id).toBe("id-2");
    expect(pickVersion(model, "canary")?.id).toBe("id-3");
    expect(pickVersion(model, "9")).toBeNull();
    expect(pickVersion({ ...model, versions: [] }, "latest")).toBeNull();
  });
});
