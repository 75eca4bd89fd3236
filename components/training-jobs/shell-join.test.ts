import { describe, expect, it } from "vitest";
import { shellJoin } from "./shell-join";

describe("shellJoin", () => {
  it("quotes only what a shell would split", () => {
    expect(shellJoin(["python", "/job/trainers/sft.py", "--spec", "/job/spec.json"])).toBe(
      "python /job/trainers/sft.py --spec /job/spec.json",
    );
    expect(shellJoin(["echo", "it's here", "a b"])).toBe(`echo 'it'\\''s here' 'a b'`);
  });
});
