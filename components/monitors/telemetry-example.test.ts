import { describe, expect, it } from "vitest";
import { shellQuote, telemetryCurlExample } from "./telemetry-example";

const NOW = "2026-02-03T04:05:06Z";

/**
 * What a POSIX shell makes of one word built from '…' parts, \-escapes and "…" parts, with
 * command substitution standing in for `date`. Enough for the example; components may not spawn
 * a real shell (no node:* imports here).
 */
function shellWord(word: string): string {
  let out = "";
  let i = 0;
  while (i < word.length) {
    const c = word[i]!;
    if (c === "'") {
      const end = word.indexOf("'", i + 1);
      out += word.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      const end = word.indexOf('"', i + 1);
      out += word.slice(i + 1, end).replace(/\$\(date [^)]*\)/g, NOW);
      i = end + 1;
    } else if (c === "\\") {
      out += word[i + 1];
      i += 2;
    } else if (/\s/.test(c)) {
      throw new Error(`unquoted space at ${i}: the body would split into several words`);
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

describe("telemetryCurlExample", () => {
  it("posts one event for the model, with the key from the environment", () => {
    const text = telemetryCurlExample("support tool caller");
    expect(text).toContain(`curl -X POST "$RETUNE_URL/api/v1/telemetry"`);
    expect(text).toContain(`Authorization: Bearer $RETUNE_API_KEY`);
    expect(text).toContain(`"model":"support tool caller"`);
    expect(text).toContain(`$(date -u +%Y-%m-%dT%H:%M:%SZ)`);
  });

  it("gives the shell one valid JSON body with the current time, even for a name with quotes", () => {
    const name = `Bob's "tool" caller`;
    const word = telemetryCurlExample(name)
      .split("\n")
      .at(-1)!
      .replace(/^\s+-d /, "");
    const parsed = JSON.parse(shellWord(word)) as {
      events: { model: string; timestamp: string; outcome: string }[];
    };
    expect(parsed.events).toHaveLength(1);
    expect(parsed.events[0]).toMatchObject({ model: name, timestamp: NOW, outcome: "success" });
  });

  it("quotes any text as one shell word", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellWord(shellQuote(`it's "x" $HOME`))).toBe(`it's "x" $HOME`);
  });
});
