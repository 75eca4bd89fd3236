import { describe, expect, it } from "vitest";
import { listSearchQuerySchema, SEARCH_MAX_LENGTH } from "@/lib/schemas/search";
import { containsText, escapeLike } from "./search";

/** What PostgreSQL's LIKE does with a pattern (default escape `\`), to check the escaping against. */
function likeMatches(pattern: string, value: string): boolean {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") re += (pattern[++i] ?? "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    else if (c === "%") re += "[\\s\\S]*";
    else if (c === "_") re += "[\\s\\S]";
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "i").test(value);
}

const contains = (q: string, value: string) => likeMatches(`%${escapeLike(q)}%`, value);

describe("escapeLike", () => {
  it("makes %, _ and \\ literal and leaves everything else alone", () => {
    expect(escapeLike("50%")).toBe("50\\%");
    expect(escapeLike("a_b")).toBe("a\\_b");
    expect(escapeLike("C:\\data")).toBe("C:\\\\data");
    expect(escapeLike("%_\\")).toBe("\\%\\_\\\\");
    expect(escapeLike("refund order — ünïcode")).toBe("refund order — ünïcode");
    expect(escapeLike("")).toBe("");
  });

  it("matches the literal text only", () => {
    expect(contains("50%", "growth 50% off")).toBe(true);
    expect(contains("50%", "growth 500 off")).toBe(false);
    expect(contains("a_b", "x a_b y")).toBe(true);
    expect(contains("a_b", "axb")).toBe(false);
    expect(contains("\\", "back\\slash")).toBe(true);
    expect(contains("\\", "backslash")).toBe(false);
    expect(contains("\\%", "a\\%b")).toBe(true);
    expect(contains("\\%", "a\\xb")).toBe(false);
    expect(contains("REFUND", "issue_refund_order")).toBe(true);
  });

  it("builds Prisma's case-insensitive contains", () => {
    expect(containsText("50%")).toEqual({ contains: "50\\%", mode: "insensitive" });
  });
});

describe("listSearchQuerySchema", () => {
  it("trims, treats blank as no search, and bounds the length", () => {
    expect(listSearchQuerySchema.parse({ q: "  tiny " })).toEqual({ q: "tiny" });
    expect(listSearchQuerySchema.parse({ q: "   " })).toEqual({ q: undefined });
    expect(listSearchQuerySchema.parse({})).toEqual({ q: undefined });
    expect(listSearchQuerySchema.safeParse({ q: "x".repeat(SEARCH_MAX_LENGTH + 1) }).success).toBe(
      false,
    );
  });
});
