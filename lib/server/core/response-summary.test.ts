import { ReadableStream } from "node:stream/web";
import { Response } from "undici";
import { describe, expect, it } from "vitest";
import {
  readBodyStart,
  redactCredentials,
  responseSummary,
  summarizeText,
} from "./response-summary";

const KEY = "my-very-own-secret-value-!!";

describe("response summaries", () => {
  it("redact the secret sent and anything that looks like a credential", () => {
    const text = [
      `echo: ${KEY}`,
      "Authorization: Bearer abc.def-ghi",
      "token sk-proj-0123456789abcdefXYZ",
      "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig",
      "hex 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      "plain words and an id ORD-000123 stay",
    ].join("\n");
    const out = redactCredentials(text, [KEY]);
    expect(out).not.toContain(KEY);
    expect(out).toContain("Bearer [redacted]");
    expect(out).not.toContain("sk-proj");
    expect(out).not.toContain("eyJhbGci");
    expect(out).not.toContain("9f86d081");
    expect(out).toContain("plain words and an id ORD-000123 stay");
  });

  it("are one printable line of at most 200 characters", () => {
    const out = summarizeText(`line one\n\u001b[31mred\u0000\n${"word ".repeat(100)}`);
    expect(out).toMatch(/^line one \[31mred word word/);
    expect([...out].some((ch) => ch.charCodeAt(0) < 0x20)).toBe(false);
    expect(out.length).toBe(201);
    expect(out.endsWith("…")).toBe(true);
  });

  it("redact a secret before cutting, so no prefix of it survives the cut", () => {
    const out = summarizeText(`${"a ".repeat(95)}${KEY}`, [KEY]);
    expect(out).not.toContain("my-very");
  });

  it("read only the start of a huge body", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(64 * 1024).fill(120));
      },
    });
    expect((await readBodyStart({ body })).length).toBe(16 * 1024);
    expect(pulled).toBeLessThan(4);
    const res = new Response(`{"error":"bad key ${KEY}"}`, { status: 401 });
    expect(await responseSummary(res, [KEY])).toBe('HTTP 401: {"error":"bad key [redacted]"}');
  });
});
