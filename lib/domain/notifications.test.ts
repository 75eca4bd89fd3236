import { describe, expect, it } from "vitest";
import { buildWebhookPayload, escapeMrkdwn, NOTIFICATION_KINDS } from "./notifications";

const url = "https://retune.example.com/models/m1/versions/mv3";

describe("buildWebhookPayload", () => {
  it("builds a Slack message with the failures and the event under `retune`", () => {
    const p = buildWebhookPayload({
      kind: "gate_failed",
      model: "support-agent",
      version: 3,
      failures: [
        "tool_call_accuracy 0.62 < 0.70",
        "slice tool=get_weather: tool_call_accuracy fell 0.12 (> 0.05)",
      ],
      actor: "retune",
      url,
    });
    expect(p.text).toBe(`support-agent v3 failed its gate (2 issues): ${url}`);
    expect(p.blocks).toEqual([
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: [
            "*support-agent v3 failed its gate*",
            "• tool_call_accuracy 0.62 &lt; 0.70",
            "• slice tool=get_weather: tool_call_accuracy fell 0.12 (&gt; 0.05)",
            `<${url}|Open in retune>`,
          ].join("\n"),
        },
      },
      { type: "context", elements: [{ type: "mrkdwn", text: "by retune" }] },
    ]);
    expect(p.retune).toMatchObject({ kind: "gate_failed", model: "support-agent", version: 3 });
    expect(p.retune.failures).toHaveLength(2);
    // Serializable as is: the server sends JSON.stringify(payload).
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it("has a headline for every kind", () => {
    for (const kind of NOTIFICATION_KINDS) {
      const p = buildWebhookPayload({ kind, model: "m", version: 2, stage: "PRODUCTION", url });
      expect(p.text).toMatch(/m/);
      expect(p.text.endsWith(url)).toBe(true);
      expect(p.blocks).toHaveLength(1); // no actor, no context block
      expect(p.retune.failures).toEqual([]);
    }
    expect(
      buildWebhookPayload({ kind: "promoted", model: "m", version: 4, stage: "STAGING", url }).text,
    ).toBe(`m v4 was promoted to STAGING: ${url}`);
    expect(
      buildWebhookPayload({ kind: "rolled_back", model: "m", version: 2, stage: "PRODUCTION", url })
        .text,
    ).toBe(`m was rolled back to v2 in PRODUCTION: ${url}`);
  });

  it("keeps long failure lists within Slack's limit and the link intact", () => {
    const failures = Array.from({ length: 40 }, (_, i) => `failure ${i} ${"x".repeat(400)}`);
    const p = buildWebhookPayload({ kind: "drift_breach", model: "m", version: 1, failures, url });
    const block = p.blocks[0]!;
    const text = block.type === "section" ? block.text.text : "";
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text.endsWith(`<${url}|Open in retune>`)).toBe(true);
    expect(text).not.toContain("failure 10 ");
    expect(p.retune.failures).toHaveLength(40);
    const short = buildWebhookPayload({
      kind: "drift_breach",
      model: "m",
      version: 1,
      failures: failures.map((f) => f.slice(0, 12)),
      url,
    });
    expect(short.blocks[0]!.type === "section" && short.blocks[0]!.text.text).toContain(
      "…and 30 more",
    );
  });

  it("escapes Slack control characters", () => {
    expect(escapeMrkdwn("a < b & c > d")).toBe("a &lt; b &amp; c &gt; d");
    const p = buildWebhookPayload({
      kind: "promoted",
      model: "<!channel>",
      version: 1,
      url,
      actor: "a&b",
    });
    expect(JSON.stringify([p.text, p.blocks])).not.toContain("<!channel>");
    expect(p.retune.model).toBe("<!channel>");
  });
});
